import { metrics } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { restoreAttributeHashes } from '../src/hot-path/attribute-hash-memo.js';
import { createAttributeSetInterner, OVERFLOW_ATTRIBUTES } from '../src/hot-path/attribute-set-interner.js';
import { type MetricsSdk, start } from '../src/start.js';

function countLines(exposition: string, family: string): string[] {
  return exposition
    .split('\n')
    .filter((line) => line.startsWith(`${family}{`))
    .map((line) => line.replace(/,?otel_scope_[a-z]+="[^"]*"/g, '').replace('{,', '{'));
}

describe('attribute set interner', () => {
  it('keeps the allowed keys in the caller’s order and returns one frozen object per set', () => {
    const interner = createAttributeSetInterner({ allowedKeys: ['b', 'a'] });
    const first = interner.process({ a: 1, dropped: 'x', b: 'two' });
    const second = interner.process({ b: 'two', a: 1 });
    expect(first).toEqual({ a: 1, b: 'two' });
    expect(Object.keys(first)).toEqual(['a', 'b']);
    expect(second).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(interner.size).toBe(1);
  });

  it('tells apart values that print alike', () => {
    const interner = createAttributeSetInterner({ allowedKeys: ['a', 'b'] });
    const sets = [
      { a: 1 },
      { a: '1' },
      { a: true },
      { a: 'true' },
      { a: 's1:b' },
      { a: 's', b: 'b' },
      { a: ['x', 'y'] },
      { a: 'x,y' },
      { a: '["x","y"]' },
      { b: 1 },
      { a: '' },
      {},
    ].map((attributes) => interner.process(attributes));
    expect(new Set(sets).size).toBe(12);
    expect(interner.process({ a: undefined, b: null } as never)).toBe(sets[11]);
    expect(interner.process({ a: ['x', 'y'] })).toBe(sets[6]);
  });

  it('interns as one set exactly what the SDK hashes as one series', () => {
    // The identity is @va/prometheus-bridge/attribute-sets: sdk-metrics' rule (names sorted, pairs
    // JSON-stringified), after the interner has dropped unset values and keys outside the allow-list.
    const interner = createAttributeSetInterner();
    const nan = interner.process({ a: Number.NaN });
    expect(interner.process({ a: Number.POSITIVE_INFINITY })).toBe(nan);
    expect(interner.process({ a: 0 })).toBe(interner.process({ a: -0 }));
    expect(interner.process({ a: 0 })).not.toBe(nan);
    const list = interner.process({ a: [1, 2], b: 'x' });
    expect(interner.process({ b: 'x', a: [1, 2] })).toBe(list);
    expect(interner.process({ a: ['1', '2'], b: 'x' })).not.toBe(list);
    expect(interner.process({ a: '[1,2]', b: 'x' })).not.toBe(list);
    expect(interner.size).toBe(5);
  });

  it('freezes a copy of array values, so the interned set cannot change', () => {
    const interner = createAttributeSetInterner();
    const list = ['x'];
    const interned = interner.process({ list });
    list.push('y');
    expect(interned).toEqual({ list: ['x'] });
    expect(Object.isFrozen(interned.list)).toBe(true);
  });

  it('maps a frozen input by identity, and a mutable one by its content every time', () => {
    const interner = createAttributeSetInterner({ cardinalityLimit: 3 });
    const prepared = Object.freeze({ route: '/a' });
    const interned = interner.process(prepared);
    expect(interner.process(prepared)).toBe(interned);
    const mutable: Record<string, string> = { route: '/a' };
    expect(interner.process(mutable)).toBe(interned);
    mutable.route = '/b';
    expect(interner.process(mutable)).toEqual({ route: '/b' });
  });

  it('admits limit - 1 sets for its whole life, then answers the overflow set', () => {
    const interner = createAttributeSetInterner({ allowedKeys: ['model'], cardinalityLimit: 4 });
    const admitted = ['a', 'b', 'c'].map((model) => interner.process({ model }));
    expect(interner.process({ model: 'd' })).toBe(OVERFLOW_ATTRIBUTES);
    expect(interner.process({ model: 'b' })).toBe(admitted[1]);
    expect(interner.size).toBe(3);
  });
});

describe('the cardinality limit under start()', () => {
  let sdk: MetricsSdk | undefined;
  afterEach(async () => {
    await sdk?.shutdown();
    sdk = undefined;
  });

  it('holds across scrapes: 1,000 model names with a scrape after every 10 keep 10 series', async () => {
    // sdk-metrics applies the limit per collection cycle, so without the interner every scrape
    // would let 9 more series into the cumulative state.
    sdk = start({
      environment: {},
      logLevel: false,
      cardinalityLimit: 10,
      prometheus: { preventServerStart: true },
    });
    const duration = metrics
      .getMeter('test')
      .createHistogram('gen_ai.client.operation.duration', { unit: 's' });
    let exposition = '';
    for (let index = 0; index < 1000; index++) {
      duration.record(0.5, { 'gen_ai.request.model': `model-${index}`, 'gen_ai.operation.name': 'chat' });
      if (index % 10 === 9) exposition = await sdk.prometheus!.render();
    }
    const counts = countLines(exposition, 'voice_agent_gen_ai_client_operation_duration_seconds_count');
    expect(counts).toHaveLength(10);
    expect(counts.slice(0, 9)).toEqual(
      Array.from(
        { length: 9 },
        (_, index) =>
          `voice_agent_gen_ai_client_operation_duration_seconds_count{gen_ai_request_model="model-${index}",gen_ai_operation_name="chat"} 1`,
      ),
    );
    expect(counts[9]).toBe(
      'voice_agent_gen_ai_client_operation_duration_seconds_count{otel_metric_overflow="true"} 991',
    );
  });

  it('records the same values with the hash memo as without it', async () => {
    for (const memo of ['true', 'false']) {
      restoreAttributeHashes();
      sdk = start({
        environment: { VA_METRICS_ATTRIBUTE_HASH_MEMO: memo },
        logLevel: false,
        prometheus: { preventServerStart: true },
      });
      const histogram = metrics
        .getMeter('test')
        .createHistogram('http.server.request.duration', { unit: 's' });
      const prepared = Object.freeze({ 'http.request.method': 'GET', 'http.route': '/a' });
      for (let index = 0; index < 100; index++) histogram.record(0.01, prepared);
      histogram.record(0.01, { 'http.route': '/a', 'http.request.method': 'GET' });
      histogram.record(0.01, { 'http.request.method': 'POST', 'http.route': '/a' });
      expect(
        countLines(await sdk.prometheus!.render(), 'voice_agent_http_server_request_duration_seconds_count'),
      ).toEqual([
        'voice_agent_http_server_request_duration_seconds_count{http_request_method="GET",http_route="/a"} 101',
        'voice_agent_http_server_request_duration_seconds_count{http_request_method="POST",http_route="/a"} 1',
      ]);
      await sdk.shutdown();
      sdk = undefined;
    }
  });
});
