import type { Meter, MeterProvider } from '@opentelemetry/api';

type Report = (error: unknown) => void;

/** The synchronous instruments and the one method each records with. */
const RECORDING_METHOD: Readonly<Record<string, 'record' | 'add'>> = {
  createHistogram: 'record',
  createGauge: 'record',
  createCounter: 'add',
  createUpDownCounter: 'add',
};

/**
 * The meter provider handed to the upstream instrumentations (undici, http, runtime-node): the
 * same meters, whose synchronous instruments never throw out of record()/add(). Upstream
 * instrumentation-undici records from diagnostics-channel subscribers, and Node rethrows a
 * subscriber's exception as an uncaught exception: a fault of the metrics side would crash the
 * app. Observable callbacks need no guard: the SDK catches what they throw.
 */
export function guardedMeterProvider(provider: MeterProvider, report: Report): MeterProvider {
  return {
    getMeter(name, version, options) {
      return guardedMeter(provider.getMeter(name, version, options), report);
    },
  };
}

function guardedMeter(meter: Meter, report: Report): Meter {
  return new Proxy(meter, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      const method = typeof key === 'string' ? RECORDING_METHOD[key] : undefined;
      if (method === undefined) return value.bind(target);
      return (...args: unknown[]) => guardedInstrument(Reflect.apply(value, target, args), method, report);
    },
  });
}

/** The instrument, with `method` wrapped; everything else is the instrument's own, by prototype. */
function guardedInstrument<T extends object>(instrument: T, method: 'record' | 'add', report: Report): T {
  const recording = (instrument as Record<string, unknown>)[method];
  if (typeof recording !== 'function') return instrument;
  const guarded = Object.create(instrument) as Record<string, unknown>;
  guarded[method] = (...args: unknown[]): void => {
    try {
      Reflect.apply(recording, instrument, args);
    } catch (error) {
      report(error);
    }
  };
  return guarded as T;
}
