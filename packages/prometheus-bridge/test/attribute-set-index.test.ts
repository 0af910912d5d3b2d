// The one identity of attribute sets (src/attribute-set-index.ts, exported as
// @va/prometheus-bridge/attribute-sets): two sets are the same exactly when sdk-metrics' own
// hashAttributes (names sorted, [name, value] pairs JSON-stringified) gives the same text, whatever order
// the names came in and whatever object carries the set.

import { createRequire } from 'node:module';
import type { Attributes } from '@opentelemetry/api';
import { seededRandom } from '@va/test-metrics';
import { describe, expect, it } from 'vitest';
import { AttributeSetIndex } from '../src/attribute-set-index.js';

const { hashAttributes } = createRequire(import.meta.url)(
  '@opentelemetry/sdk-metrics/build/src/utils.js',
) as {
  hashAttributes: (attributes: Attributes) => string;
};

/** Stores each set in turn, then asks for each: the index must hold one entry per set the SDK tells apart. */
function distinctSets(index: AttributeSetIndex<number>, sets: readonly Attributes[]): number {
  let stored = 0;
  for (const attributes of sets) {
    if (index.get(attributes) === undefined) index.add(attributes, stored++);
  }
  return stored;
}

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

  it('holds the empty set as a set of its own', () => {
    const index = new AttributeSetIndex<string>();
    expect(index.get({})).toBeUndefined();
    index.add({}, 'empty');
    expect(index.get({})).toBe('empty');
    expect(index.get(Object.create(null))).toBe('empty');
    expect(index.get({ route: '/a' })).toBeUndefined();
    expect(hashAttributes({})).not.toBe(hashAttributes({ route: '/a' }));
  });

  it('tells numbers from numeric strings, and booleans from their words', () => {
    const index = new AttributeSetIndex<number>();
    const sets: Attributes[] = [{ a: 1 }, { a: '1' }, { a: 1.5 }, { a: '1.5' }, { a: true }, { a: 'true' }];
    expect(distinctSets(index, sets)).toBe(6);
    expect(new Set(sets.map(hashAttributes)).size).toBe(6);
    // 0 and -0 are one number to the SDK's JSON, as to a Map.
    expect(index.get({ a: -0 })).toBeUndefined();
    index.add({ a: 0 }, 6);
    expect(index.get({ a: -0 })).toBe(6);
    expect(hashAttributes({ a: -0 })).toBe(hashAttributes({ a: 0 }));
  });

  it('keys an array by its JSON text, apart from the string that looks the same', () => {
    const index = new AttributeSetIndex<number>();
    const sets: Attributes[] = [
      { route: '/a', tags: ['x', 'y'] },
      { route: '/a', tags: '["x","y"]' },
      { route: '/a', tags: 'x,y' },
      { route: '/a', tags: ['x,y'] },
      { route: '/a', tags: ['x'] },
      { route: '/a', tags: 'x' },
      { route: '/a', tags: [1, 2] },
      { route: '/a', tags: ['1', '2'] },
      { route: '/a', tags: [] },
      { route: '/a', tags: '' },
      { route: '/a', tags: [true] },
    ];
    expect(distinctSets(index, sets)).toBe(sets.length);
    expect(new Set(sets.map(hashAttributes)).size).toBe(sets.length);
    sets.forEach((attributes, at) => {
      expect(index.get({ ...attributes })).toBe(at);
    });
    expect(index.get({ tags: ['x', 'y'], route: '/a' })).toBe(0);
    // An equal array, not the same one: found by contents.
    expect(index.get({ route: '/a', tags: ['x', 'y'].slice() })).toBe(0);
  });

  it('counts a name without a value as the SDK does: undefined, null, NaN and ±Infinity are one value, and not absence', () => {
    const index = new AttributeSetIndex<string>();
    index.add({ route: '/a' }, 'without');
    index.add({ route: '/a', error: undefined }, 'unset');
    expect(index.get({ route: '/a' })).toBe('without');
    for (const value of [undefined, null, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(index.get({ error: value, route: '/a' } as Attributes)).toBe('unset');
      expect(hashAttributes({ error: value, route: '/a' } as Attributes)).toBe(
        hashAttributes({ route: '/a', error: undefined }),
      );
    }
    expect(hashAttributes({ route: '/a', error: undefined })).not.toBe(hashAttributes({ route: '/a' }));
    expect(index.get({ route: '/a', error: 'x' })).toBeUndefined();
    expect(index.get({ route: '/a', other: undefined })).toBeUndefined();
  });

  it('with skipUnset, leaves names without a value (undefined, null) out of the set', () => {
    const index = new AttributeSetIndex<string>({ skipUnset: true });
    index.add({ route: '/a', error: undefined }, 'stored');
    expect(index.get({ route: '/a' })).toBe('stored');
    expect(index.get({ error: null, route: '/a' } as unknown as Attributes)).toBe('stored');
    expect(index.get({ route: '/a', other: undefined })).toBe('stored');
    expect(index.get({ route: '/a', error: 'x' })).toBeUndefined();
    // NaN is a value (JSON writes it as null, but it is set).
    expect(index.get({ route: '/a', error: Number.NaN })).toBeUndefined();
  });

  it('with names, counts only those names (an allow-list)', () => {
    const index = new AttributeSetIndex<string>({ names: ['route', 'method', 'route'] });
    index.add({ route: '/a', method: 'GET', dropped: 'x' }, 'stored');
    expect(index.get({ method: 'GET', route: '/a' })).toBe('stored');
    expect(index.get({ route: '/a', other: 1, method: 'GET' })).toBe('stored');
    expect(index.get({ route: '/a' })).toBeUndefined();
    expect(index.get({ route: '/a', method: 'POST' })).toBeUndefined();
    // A name outside the list does not make a set of its own.
    expect(index.get({ other: 1 })).toBeUndefined();
    index.add({ other: 2 }, 'nothing allowed');
    expect(index.get({})).toBe('nothing allowed');
  });

  it('leaves inherited and non-enumerable properties out of the set', () => {
    const index = new AttributeSetIndex<string>();
    index.add({ route: '/a' }, 'stored');
    const inheriting = Object.create({ inherited: 'yes' }) as Attributes;
    inheriting.route = '/a';
    expect(index.get(inheriting)).toBe('stored');
    const inheritingArray = Object.create({ inherited: ['yes'] }) as Attributes;
    inheritingArray.route = '/a';
    expect(index.get(inheritingArray)).toBe('stored');
    expect(index.get(Object.create({ inherited: 'yes' }))).toBeUndefined();
    const hidden = Object.defineProperty({ route: '/a' }, 'hidden', { value: 'x', enumerable: false });
    expect(index.get(hidden)).toBe('stored');
    const allowList = new AttributeSetIndex<string>({ names: ['route', 'inherited'] });
    allowList.add({ route: '/a' }, 'stored');
    expect(allowList.get(inheriting)).toBe('stored');
  });

  it('holds exactly the sets the SDK tells apart, over random sets in random orders', () => {
    const next = seededRandom(7);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
    const names = ['a', 'b', 'c', 'http.route', 'http.response.status_code'];
    const values = [
      'x',
      'y',
      '',
      '1',
      1,
      2,
      0,
      -0,
      true,
      false,
      'true',
      undefined,
      null,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      'null',
      ['x'],
      '["x"]',
      [1, 2],
      ['1', '2'],
      [],
    ];
    const index = new AttributeSetIndex<number>();
    const byHash = new Map<string, number>();
    let stored = 0;
    for (let step = 0; step < 5000; step++) {
      const attributes: Attributes = {};
      const shuffled = names.slice().sort(() => next() - 0.5);
      for (const name of shuffled) if (next() < 0.6) attributes[name] = pick(values) as Attributes[string];
      const hash = hashAttributes(attributes);
      expect(index.get(attributes)).toBe(byHash.get(hash));
      if (!byHash.has(hash)) {
        index.add(attributes, stored);
        byHash.set(hash, stored++);
      }
    }
    // Enough distinct sets to mean something; most steps met a known set, often in another order.
    expect(stored).toBeGreaterThan(1000);
  });
});
