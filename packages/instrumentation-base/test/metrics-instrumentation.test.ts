import type { Meter } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { setVaMeterProvider } from '@va/semconv';
import { TestMetrics } from '@va/test-metrics';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { isWrappedByVa, unwrapMethod, wrapMethod } from '../src/method-wrapper.js';
import { MetricsInstrumentation, type ModulePatch } from '../src/metrics-instrumentation.js';
import { type FakePackages, writeFakePackages } from './support.js';

interface FakeModule {
  Client: { prototype: { query(text: string): string } };
}

/** Counts `query` calls of `va-fake-lib` 2.x on a counter named `fake.queries`. */
class FakeLibInstrumentation extends MetricsInstrumentation {
  instrumentsCreated = 0;
  declare private _counter: ReturnType<Meter['createCounter']>;
  readonly patched: unknown[] = [];

  constructor() {
    super('fake-lib-instrumentation', '1.0.0');
  }

  protected override createInstruments(meter: Meter): void {
    this.instrumentsCreated++;
    this._counter = meter.createCounter('fake.queries');
  }

  protected override modulePatches(): readonly ModulePatch[] {
    return [
      {
        module: 'va-fake-lib',
        versions: { minimum: '2.0.0', below: '3' },
        patch: (exports, version) => {
          this.patched.push(version);
          wrapMethod((exports as FakeModule).Client.prototype, 'query', (original) => {
            const instrumentation = this;
            return function (this: unknown, ...args: unknown[]) {
              instrumentation._counter.add(1);
              return Reflect.apply(original, this, args);
            };
          });
        },
        unpatch: (exports) => unwrapMethod((exports as FakeModule).Client.prototype, 'query'),
      },
    ];
  }
}

let packages: FakePackages | undefined;
afterEach(() => {
  packages?.remove();
  packages = undefined;
  setVaMeterProvider(undefined);
});

async function queries(metrics: TestMetrics): Promise<number> {
  return (await metrics.points('fake.queries')).reduce((sum, point) => sum + point.value, 0);
}

describe('MetricsInstrumentation', () => {
  it('patches nothing until enabled, then every load in range, and reports its state in getConfig()', async () => {
    packages = writeFakePackages({ 'va-fake-lib': '2.3.4' });
    const metrics = new TestMetrics();
    const instrumentation = new FakeLibInstrumentation();
    instrumentation.setMeterProvider(metrics.meterProvider);
    expect(instrumentation.getConfig().enabled).toBe(false);
    const before = packages.require('va-fake-lib') as FakeModule;
    expect(isWrappedByVa(before.Client.prototype.query)).toBe(false);

    instrumentation.enable();
    expect(instrumentation.getConfig().enabled).toBe(true);
    const library = packages.require('va-fake-lib') as FakeModule;
    expect(instrumentation.patched).toEqual(['2.3.4']);
    const client = new (library.Client as unknown as new () => { query(text: string): string })();
    expect(client.query('a')).toBe('result of a');
    expect(client.query('b')).toBe('result of b');
    expect(await queries(metrics)).toBe(2);

    instrumentation.disable();
    client.query('c');
    expect(await queries(metrics)).toBe(2);
    instrumentation.enable();
    client.query('d');
    expect(await queries(metrics)).toBe(3);
    instrumentation.disable();
  });

  it('leaves a major it was not written for alone', () => {
    packages = writeFakePackages({ 'va-fake-lib': '3.0.0-beta.1' });
    const instrumentation = new FakeLibInstrumentation();
    instrumentation.setMeterProvider(new TestMetrics().meterProvider);
    instrumentation.enable();
    const library = packages.require('va-fake-lib') as FakeModule;
    expect(instrumentation.patched).toEqual([]);
    expect(isWrappedByVa(library.Client.prototype.query)).toBe(false);
    instrumentation.disable();
  });

  it('records into vaMeterProvider() when no provider was set, and creates instruments again on a new one', async () => {
    packages = writeFakePackages({ 'va-fake-lib': '2.0.0' });
    const first = new TestMetrics();
    setVaMeterProvider(first.meterProvider);
    const instrumentation = new FakeLibInstrumentation();
    instrumentation.enable();
    const library = packages.require('va-fake-lib') as FakeModule;
    const client = new (library.Client as unknown as new () => { query(text: string): string })();
    client.query('x');
    expect(await queries(first)).toBe(1);
    const second = new TestMetrics();
    instrumentation.setMeterProvider(second.meterProvider);
    client.query('y');
    expect(await queries(first)).toBe(1);
    expect(await queries(second)).toBe(1);
    expect(instrumentation.instrumentsCreated).toBe(2);
    instrumentation.disable();
  });

  it('is enabled by registerInstrumentations() with the meter provider it is given, and ignores the tracer provider', async () => {
    packages = writeFakePackages({ 'va-fake-lib': '2.1.0' });
    const metrics = new TestMetrics();
    const instrumentation = new FakeLibInstrumentation();
    let tracerProviderUsed = false;
    const tracerProvider = new Proxy(
      {},
      {
        get() {
          tracerProviderUsed = true;
          return () => undefined;
        },
      },
    );
    const unregister = registerInstrumentations({
      instrumentations: [instrumentation],
      meterProvider: metrics.meterProvider,
      tracerProvider: tracerProvider as never,
    });
    expect(instrumentation.isEnabled).toBe(true);
    const library = packages.require('va-fake-lib') as FakeModule;
    new (library.Client as unknown as new () => { query(text: string): string })().query('z');
    expect(await queries(metrics)).toBe(1);
    expect(tracerProviderUsed).toBe(false);
    unregister();
    expect(instrumentation.isEnabled).toBe(false);
  });

  it('reports a fault of its patch once and lets the module load', () => {
    packages = writeFakePackages({ 'va-fake-lib': '2.0.0' });
    const errors: unknown[][] = [];
    class Failing extends FakeLibInstrumentation {
      protected override modulePatches(): readonly ModulePatch[] {
        return [
          {
            module: 'va-fake-lib',
            versions: { minimum: '2.0.0', below: '3' },
            patch: () => {
              throw new Error('patch exploded');
            },
            unpatch: () => undefined,
          },
        ];
      }
      protected override reportFault(fault: unknown): void {
        errors.push([fault]);
      }
    }
    const instrumentation = new Failing();
    instrumentation.setMeterProvider(new TestMetrics().meterProvider);
    instrumentation.enable();
    const library = packages.require('va-fake-lib') as FakeModule;
    expect(new (library.Client as unknown as new () => { query(text: string): string })().query('q')).toBe(
      'result of q',
    );
    expect(errors).toHaveLength(1);
    instrumentation.disable();
  });

  it("gives a require() the exports a patch returns, for modules whose own exports can't be patched in place", () => {
    packages = writeFakePackages({ 'va-fake-lib': '2.0.0' });
    class Replacing extends FakeLibInstrumentation {
      protected override modulePatches(): readonly ModulePatch[] {
        return [
          {
            module: 'va-fake-lib',
            versions: { minimum: '2.0.0', below: '3' },
            patch: (exports) => ({ ...(exports as object), replaced: true }),
            unpatch: () => undefined,
          },
        ];
      }
    }
    const instrumentation = new Replacing();
    instrumentation.setMeterProvider(new TestMetrics().meterProvider);
    instrumentation.enable();
    const library = packages.require('va-fake-lib') as FakeModule & { replaced?: boolean };
    expect(library.replaced).toBe(true);
    expect(typeof library.Client).toBe('function');
    expect(packages.require('va-fake-lib')).toBe(library);
    instrumentation.disable();
  });
});

afterAll(() => packages?.remove());
