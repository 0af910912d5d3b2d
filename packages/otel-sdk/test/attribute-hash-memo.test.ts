// The hash memo replaces a function that every MeterProvider on the same sdk-metrics copy calls. These
// tests pin that only the sets our interner produced are answered from the memo, that anything else
// reaches the SDK's own function every time, and that an SDK of another shape leaves the memo off with one
// warning.
import { createRequire } from 'node:module';
import type { Attributes } from '@opentelemetry/api';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { memoiseAttributeHashes, restoreAttributeHashes } from '../src/hot-path/attribute-hash-memo.js';
import { createAttributeSetInterner } from '../src/hot-path/attribute-set-interner.js';
import { internedAttributeSets } from '../src/hot-path/interned-attribute-sets.js';
import { loadSdkMetricsUtils } from '../src/hot-path/sdk-metrics-utils.js';
import { type MetricsSdk, start } from '../src/start.js';
import { captureDiagWarnings } from './capture-diag.js';

interface Utils {
  hashAttributes: (attributes: Attributes) => string;
}
const utils = createRequire(import.meta.url)('@opentelemetry/sdk-metrics/build/src/utils.js') as Utils;
const sdkHash = utils.hashAttributes;

class IdleReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

/** The counts of one histogram's data points, by their `http.route`. */
async function countsOf(reader: MetricReader): Promise<Record<string, number>> {
  const { resourceMetrics } = await reader.collect();
  const counts: Record<string, number> = {};
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      for (const point of metric.dataPoints) {
        counts[String(point.attributes['http.route'])] = (point.value as { count: number }).count;
      }
    }
  }
  return counts;
}

describe('attribute hash memo', () => {
  afterEach(() => {
    restoreAttributeHashes();
    utils.hashAttributes = sdkHash;
  });

  it('loads the utils module of the sdk-metrics copy our MeterProvider comes from', () => {
    expect(loadSdkMetricsUtils()).toBe(utils);
  });

  it('wraps the SDK hash once and gives the SDK’s hashes', () => {
    expect(memoiseAttributeHashes()).toBe('installed');
    expect(memoiseAttributeHashes()).toBe('already-installed');
    expect(utils.hashAttributes).not.toBe(sdkHash);
    const interned = createAttributeSetInterner().process({ b: 2, a: 'x', list: ['p', 'q'] });
    expect(utils.hashAttributes(interned)).toBe('[["a","x"],["b",2],["list",["p","q"]]]');
    expect(utils.hashAttributes(interned)).toBe('[["a","x"],["b",2],["list",["p","q"]]]');
    expect(utils.hashAttributes({ route: '/a' })).toBe('[["route","/a"]]');
    restoreAttributeHashes();
    expect(utils.hashAttributes).toBe(sdkHash);
  });

  it('answers from its memo for interned sets only: a user’s MeterProvider on the same copy gets the SDK’s hash on every call', async () => {
    // A spy at the SDK's export, installed before the memo, so the memo wraps it as "the SDK's own".
    const hashed: Attributes[] = [];
    utils.hashAttributes = (attributes) => {
      hashed.push(attributes);
      return sdkHash(attributes);
    };
    expect(memoiseAttributeHashes()).toBe('installed');
    hashed.length = 0;

    // The user's MeterProvider, no @va view, a prepared frozen set as a careful user would pass.
    const userReader = new IdleReader();
    const userProvider = new MeterProvider({ readers: [userReader] });
    const userHistogram = userProvider.getMeter('user').createHistogram('user.duration');
    const userSet = Object.freeze({ 'http.route': '/user' });
    for (let index = 0; index < 3; index++) userHistogram.record(0.1, userSet);

    // Ours: the same sdk-metrics copy, a view with our interner.
    const ourReader = new IdleReader();
    const ourProvider = new MeterProvider({
      readers: [ourReader],
      views: [
        {
          instrumentName: 'our.duration',
          attributesProcessors: [createAttributeSetInterner({ allowedKeys: ['http.route'] })],
        },
      ],
    });
    const ourHistogram = ourProvider.getMeter('ours').createHistogram('our.duration');
    for (let index = 0; index < 3; index++)
      ourHistogram.record(0.1, Object.freeze({ 'http.route': '/ours' }));

    // Each instrument's storage hashes the SDK's overflow set once; then the user's set is hashed on
    // every lookup (the first record looks up, then inserts), ours only the first time.
    expect(hashed.map((attributes) => sdkHash(attributes))).toEqual([
      '[["otel.metric.overflow",true]]',
      '[["http.route","/user"]]',
      '[["http.route","/user"]]',
      '[["http.route","/user"]]',
      '[["http.route","/user"]]',
      '[["otel.metric.overflow",true]]',
      '[["http.route","/ours"]]',
    ]);
    expect(hashed.filter((attributes) => attributes === userSet)).toHaveLength(4);
    expect(await countsOf(userReader)).toEqual({ '/user': 3 });
    expect(await countsOf(ourReader)).toEqual({ '/ours': 3 });
    await Promise.all([userProvider.shutdown(), ourProvider.shutdown()]);
  });

  it('stays off with one warning naming what it did not find, when the SDK’s shape differs', () => {
    const captured = captureDiagWarnings();
    try {
      const missing = (): never => {
        throw Object.assign(
          new Error(
            "Cannot find module './utils.js'\nRequire stack:\n- /app/node_modules/@opentelemetry/sdk-metrics/build/src/index.js",
          ),
          { code: 'MODULE_NOT_FOUND' },
        );
      };
      expect(memoiseAttributeHashes(missing)).toBe('unavailable');
      expect(memoiseAttributeHashes(() => ({ hashAttributes: undefined }))).toBe('unavailable');
      expect(memoiseAttributeHashes(() => ({ hashAttributes: (a: Attributes) => JSON.stringify(a) }))).toBe(
        'unavailable',
      );
      expect(memoiseAttributeHashes(() => Object.freeze({ hashAttributes: sdkHash }))).toBe('unavailable');
      // A getter-only export, as a compiler may emit it: read-only too, already warned about.
      expect(
        memoiseAttributeHashes(() => Object.defineProperty({}, 'hashAttributes', { get: () => sdkHash })),
      ).toBe('unavailable');
      // A second start() in the same process does not warn again.
      expect(memoiseAttributeHashes(missing)).toBe('unavailable');

      const cost =
        "record() takes sdk-metrics' own attribute hash on every call (a key sort and JSON.stringify each time) instead of once per attribute set; the metrics are the same.";
      expect(captured.warnings).toEqual([
        `@va/otel-sdk: the attribute hash memo is off: @opentelemetry/sdk-metrics/build/src/utils.js could not be loaded (Cannot find module './utils.js'). ${cost}`,
        `@va/otel-sdk: the attribute hash memo is off: @opentelemetry/sdk-metrics/build/src/utils.js has no hashAttributes function. ${cost}`,
        `@va/otel-sdk: the attribute hash memo is off: hashAttributes of @opentelemetry/sdk-metrics/build/src/utils.js does not hash as the memo expects. ${cost}`,
        `@va/otel-sdk: the attribute hash memo is off: the exports of @opentelemetry/sdk-metrics/build/src/utils.js are read-only. ${cost}`,
      ]);
      expect(utils.hashAttributes).toBe(sdkHash);
    } finally {
      captured.restore();
    }
  });

  it('keeps one registry of interned sets per process, in a global slot both builds of the package share', () => {
    const registry = internedAttributeSets();
    expect((globalThis as Record<symbol, unknown>)[Symbol.for('@va/otel-sdk.interned-attribute-sets')]).toBe(
      registry,
    );
    const interned = createAttributeSetInterner().process({ route: '/a' });
    expect(registry.has(interned)).toBe(true);
    expect(registry.has(Object.freeze({ route: '/a' }))).toBe(false);
  });
});

describe('the hash memo under start()', () => {
  let sdk: MetricsSdk | undefined;
  afterEach(async () => {
    await sdk?.shutdown();
    sdk = undefined;
    restoreAttributeHashes();
  });

  it('is installed by default and left out with VA_METRICS_ATTRIBUTE_HASH_MEMO=false', async () => {
    sdk = start({ environment: {}, logLevel: false, prometheus: { preventServerStart: true } });
    expect(utils.hashAttributes).not.toBe(sdkHash);
    await sdk.shutdown();
    restoreAttributeHashes();
    sdk = start({
      environment: { VA_METRICS_ATTRIBUTE_HASH_MEMO: 'false' },
      logLevel: false,
      prometheus: { preventServerStart: true },
    });
    expect(utils.hashAttributes).toBe(sdkHash);
  });
});
