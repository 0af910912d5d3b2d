import type { BatchObservableCallback, Meter } from '@opentelemetry/api';
import {
  DB_CLIENT_CONNECTION_COUNT,
  DB_CLIENT_CONNECTION_MAX,
  DB_CLIENT_CONNECTION_PENDING_REQUESTS,
  DB_CLIENT_CONNECTION_POOL_NAME,
  DB_CLIENT_CONNECTION_STATE,
  type MetricDefinition,
} from '@va/semconv';
import type { PoolRegistry, PoolTotals } from './pool-registry.js';

const NO_CONNECTIONS: PoolTotals = Object.freeze({ used: 0, idle: 0, max: 0, pending: 0 });

/**
 * The pool gauges, observed at collection time from the registry: nothing is recorded while the
 * application runs. They are asynchronous up-down counters (the conventions' instrument kind for
 * them), which Prometheus shows as gauges.
 *
 * When a pool name stops being observed (its pools ended or were collected), it is observed once
 * more with zeros. The SDK (sdk-metrics 2.x) keeps exporting, under cumulative temporality, the last
 * value of every attribute set an asynchronous instrument ever reported (state/
 * TemporalMetricProcessor.js merges each collection into the previous one; see
 * https://github.com/open-telemetry/opentelemetry-specification/pull/2208), so without the zeros an
 * ended pool would go on showing its last connections forever. Under delta temporality the series
 * then disappears.
 * Returns a function that detaches the callback from the meter.
 */
export function observePools(meter: Meter, registry: PoolRegistry): () => void {
  const create = (definition: MetricDefinition) =>
    meter.createObservableUpDownCounter(definition.name, {
      unit: definition.unit,
      description: definition.description,
    });
  const count = create(DB_CLIENT_CONNECTION_COUNT);
  const max = create(DB_CLIENT_CONNECTION_MAX);
  const pending = create(DB_CLIENT_CONNECTION_PENDING_REQUESTS);
  let reported = new Set<string>();
  const callback: BatchObservableCallback = (result) => {
    const observe = (name: string, totals: PoolTotals): void => {
      const pool = { [DB_CLIENT_CONNECTION_POOL_NAME.key]: name };
      result.observe(count, totals.used, { ...pool, [DB_CLIENT_CONNECTION_STATE.key]: 'used' });
      result.observe(count, totals.idle, { ...pool, [DB_CLIENT_CONNECTION_STATE.key]: 'idle' });
      result.observe(max, totals.max, pool);
      result.observe(pending, totals.pending, pool);
    };
    const live = registry.totals();
    for (const [name, totals] of live) observe(name, totals);
    for (const name of reported) if (!live.has(name)) observe(name, NO_CONNECTIONS);
    reported = new Set(live.keys());
  };
  const observables = [count, max, pending];
  meter.addBatchObservableCallback(callback, observables);
  return () => meter.removeBatchObservableCallback(callback, observables);
}
