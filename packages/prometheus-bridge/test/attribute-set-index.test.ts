// The cumulative store finds a series by the contents of its attribute set (src/attribute-set-index.ts).
// It must tell sets apart exactly as attributesKey() (the cluster merge's key) does: one entry per set,
// whatever order its names came in and whatever object carries it.

import type { Attributes } from '@opentelemetry/api';
import { seededRandom } from '@va/test-metrics';
import { describe, expect, it } from 'vitest';
import { AttributeSetIndex } from '../src/attribute-set-index.js';
import { attributesKey } from '../src/cluster/merge-metrics.js';

describe('AttributeSetIndex', () => {
  it('finds a set whatever order its names come in, and holds one entry for it', () => {
    const index = new AttributeSetIndex<string>();
    index.add({ route: '/a', method: 'GET', status: 200 }, 'first');
    expect(index.get({ route: '/a', method: 'GET', status: 200 })).toBe('first');
    expect(index.get({ method: 'GET', route: '/a', status: 200 })).toBe('first');
    expect(index.get({ status: 200, route: '/a', method: 'GET' })).toBe('first');
    // Stored under another order than it is met in, too.
    index.add({ status: 500, method: 'GET', route: '/a' }, 'second');
    expect(index.get({ route: '/a', method: 'GET', status: 500 })).toBe('second');
    expect(index.get({ status: 500, method: 'GET', route: '/a' })).toBe('second');
    expect(index.get({ method: 'GET', status: 500, route: '/a' })).toBe('second');
    expect(index.get({ route: '/a', method: 'GET', status: 200 })).toBe('first');
  });

  it('tells apart sets that differ in a value, its type, a name, or one attribute more or less', () => {
    const index = new AttributeSetIndex<number>();
    const sets: Attributes[] = [
      { route: '/a', status: 200 },
      { route: '/a', status: '200' },
      { route: '/a', status: 500 },
      { route: '/b', status: 200 },
      { path: '/a', status: 200 },
      { route: '/a' },
      { route: '/a', status: 200, error: true },
      { route: '/a', status: 200, error: 'true' },
      {},
    ];
    sets.forEach((attributes, at) => {
      expect(index.get(attributes)).toBeUndefined();
      index.add(attributes, at);
    });
    sets.forEach((attributes, at) => {
      expect(index.get({ ...attributes })).toBe(at);
    });
  });

  it('does not count unset values, as attributesKey() does not', () => {
    const index = new AttributeSetIndex<string>();
    index.add({ route: '/a', error: undefined }, 'stored');
    expect(index.get({ route: '/a' })).toBe('stored');
    expect(index.get({ error: undefined, route: '/a' })).toBe('stored');
    expect(index.get({ route: '/a', other: undefined })).toBe('stored');
    expect(index.get({ route: '/a', error: 'x' })).toBeUndefined();
  });

  it('keys sets with array values by attributesKey(), apart from the string that looks the same', () => {
    const index = new AttributeSetIndex<string>();
    index.add({ route: '/a', tags: ['x', 'y'] }, 'array');
    index.add({ route: '/a', tags: '["x","y"]' }, 'string');
    expect(index.get({ tags: ['x', 'y'], route: '/a' })).toBe('array');
    expect(index.get({ route: '/a', tags: '["x","y"]' })).toBe('string');
    expect(index.get({ route: '/a', tags: ['x'] })).toBeUndefined();
  });

  it('leaves inherited properties out of the set', () => {
    const index = new AttributeSetIndex<string>();
    index.add({ route: '/a' }, 'stored');
    const inheriting = Object.create({ inherited: 'yes' }) as Attributes;
    inheriting.route = '/a';
    expect(index.get(inheriting)).toBe('stored');
    const inheritingArray = Object.create({ inherited: ['yes'] }) as Attributes;
    inheritingArray.route = '/a';
    expect(index.get(inheritingArray)).toBe('stored');
    expect(index.get(Object.create({ inherited: 'yes' }))).toBeUndefined();
  });

  it('holds exactly the sets attributesKey() tells apart, over random sets in random orders', () => {
    const next = seededRandom(7);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
    const names = ['a', 'b', 'c', 'http.route', 'http.response.status_code'];
    const values = ['x', 'y', '', '1', 1, 2, true, false, undefined, ['x'], [1, 2]];
    const index = new AttributeSetIndex<number>();
    const byKey = new Map<string, number>();
    let stored = 0;
    for (let step = 0; step < 5000; step++) {
      const attributes: Attributes = {};
      const shuffled = names.slice().sort(() => next() - 0.5);
      for (const name of shuffled) if (next() < 0.6) attributes[name] = pick(values) as Attributes[string];
      const key = attributesKey(attributes);
      expect(index.get(attributes)).toBe(byKey.get(key));
      if (!byKey.has(key)) {
        index.add(attributes, stored);
        byKey.set(key, stored++);
      }
    }
    // Enough distinct sets to mean something; most steps met a known set, often in another order.
    expect(stored).toBeGreaterThan(1000);
  });
});
