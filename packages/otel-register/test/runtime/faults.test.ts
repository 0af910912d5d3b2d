// Our own faults never reach the application: an instrument that throws on every recording, a
// meter that cannot create instruments. Each kind of fault is logged once, as an error, through diag;
// the same fault again is a debug line.

import { type DiagLogger, DiagLogLevel, diag, type Meter } from '@opentelemetry/api';
import { TestMetrics } from '@va/test-metrics';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordRuntimeMetrics } from '../../src/runtime/index.js';
import { exposedGc } from './support/exposed-gc.js';
import { snapshot } from './support/snapshot.js';
import { sleep, waitUntil } from './support/wait.js';

const gc = exposedGc();

function boom(): never {
  throw new Error('instrument exploded');
}

/**
 * The real SDK meter, but every synchronous recording throws and every observation in a batch
 * callback throws: the recorders run their real code against a broken instrument. `attempts`
 * proves the faults were hit rather than skipped.
 */
function explodingMeter(meter: Meter, attempts: { count: number }): Meter {
  const wrapped = new Map<unknown, unknown>();
  return new Proxy(meter, {
    get(target, key) {
      if (key === 'createHistogram') {
        return (...args: Parameters<Meter['createHistogram']>) => {
          target.createHistogram(...args);
          return {
            record() {
              attempts.count++;
              boom();
            },
          };
        };
      }
      if (key === 'addBatchObservableCallback') {
        return (callback: (result: unknown) => void, observables: never[]) => {
          const exploding = () =>
            callback({
              observe() {
                attempts.count++;
                boom();
              },
            });
          wrapped.set(callback, exploding);
          target.addBatchObservableCallback(exploding, observables);
        };
      }
      if (key === 'removeBatchObservableCallback') {
        return (callback: unknown, observables: never[]) =>
          target.removeBatchObservableCallback(wrapped.get(callback) as never, observables);
      }
      const value = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const logged: { level: string; message: string }[] = [];
/** A line's string parts, joined (a component logger passes its namespace first, then the message). */
const record =
  (level: string) =>
  (...args: unknown[]): void => {
    logged.push({ level, message: args.filter((arg) => typeof arg === 'string').join(' ') });
  };
/** Ours only: diag also logs its own registration at debug level. */
const ours = (level: string): string[] =>
  logged
    .filter((entry) => entry.level === level && entry.message.startsWith('@va/otel-register'))
    .map((entry) => entry.message);
const logger: DiagLogger = {
  error: record('error'),
  warn: record('warn'),
  info: () => {},
  debug: record('debug'),
  verbose: () => {},
};
const uncaught: unknown[] = [];
const onUncaught = (error: unknown): void => {
  uncaught.push(error);
};

let metrics: TestMetrics;

beforeEach(() => {
  logged.length = 0;
  uncaught.length = 0;
  diag.setLogger(logger, DiagLogLevel.DEBUG);
  process.on('uncaughtException', onUncaught);
  metrics = new TestMetrics();
});

afterEach(async () => {
  process.off('uncaughtException', onUncaught);
  diag.disable();
  await metrics.shutdown();
});

describe('runtime metrics: faults of our own', () => {
  it('swallows instruments that throw at collection and on GC pauses, and logs each kind of fault once', async () => {
    const attempts = { count: 0 };
    const runtime = recordRuntimeMetrics(
      explodingMeter(metrics.meterProvider.getMeter('runtime-test'), attempts),
    );
    await sleep(100);
    for (let i = 0; i < 3; i++) {
      // The collection itself succeeds: the SDK sees no failed callback.
      const { errors } = await metrics.reader.collect();
      expect(errors).toEqual([]);
      gc();
    }
    await waitUntil('the GC observer to run into the broken histogram', () =>
      logged.some((entry) => entry.message.includes('recording a GC pause failed;')),
    );
    gc();
    await waitUntil('the GC observer to run into it again', () =>
      logged.some((entry) => entry.message.includes('recording a GC pause failed again')),
    );
    runtime.stop();

    expect(uncaught).toEqual([]);
    expect(attempts.count).toBeGreaterThan(5);
    const parts = [
      'reading the event loop utilization',
      'reading the event loop delay',
      'reading the heap spaces',
      'reading the active resources',
      'recording a GC pause',
    ];
    expect(new Set(ours('error'))).toEqual(
      new Set(
        parts.map(
          (part) =>
            `@va/otel-register runtime metrics: ${part} failed; the application goes on, some data may be missing`,
        ),
      ),
    );
    expect(ours('error')).toHaveLength(parts.length);
    expect(ours('warn')).toEqual([]);
    // The rest went to debug: every collection's callbacks and the GC observer each failed again.
    expect(new Set(ours('debug'))).toEqual(
      new Set([
        '@va/otel-register runtime metrics: reading the event loop utilization failed again',
        '@va/otel-register runtime metrics: reading the event loop delay failed again',
        '@va/otel-register runtime metrics: reading the heap spaces failed again',
        '@va/otel-register runtime metrics: reading the active resources failed again',
        '@va/otel-register runtime metrics: recording a GC pause failed again',
      ]),
    );
  });

  it('starts the parts it can when the meter cannot create gauges, and never throws', async () => {
    const meter = metrics.meterProvider.getMeter('runtime-test');
    const noGauges = new Proxy(meter, {
      get(target, key) {
        if (key === 'createObservableGauge') return boom;
        const value = Reflect.get(target, key, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const runtime = recordRuntimeMetrics(noGauges);
    gc();
    await waitUntil('a GC pause', async () => (await snapshot(metrics)).has('v8js.gc.duration'));
    const collected = await snapshot(metrics);
    runtime.stop();

    // Every part with a gauge failed to start; the GC histogram alone runs.
    expect([...collected.keys()]).toEqual(['v8js.gc.duration']);
    expect(ours('error')).toEqual([
      '@va/otel-register runtime metrics: starting to record the event loop utilization failed; the application goes on, some data may be missing',
      '@va/otel-register runtime metrics: starting to record the event loop delay failed; the application goes on, some data may be missing',
      '@va/otel-register runtime metrics: starting to record the heap spaces failed; the application goes on, some data may be missing',
      '@va/otel-register runtime metrics: starting to record the active resources failed; the application goes on, some data may be missing',
    ]);
    expect(ours('debug')).toEqual([]);
  });
});
