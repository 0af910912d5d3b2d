import type { BatchObservableCallback, Meter } from '@opentelemetry/api';
import type { ReportFault } from '@va/instrumentation-base/diagnostics';
import { V8JS_RESOURCE_ACTIVE } from '@va/semconv';

/**
 * v8js.resource.active: how many resources of each type keep the event loop alive, from
 * process.getActiveResourcesInfo() at collection time. A type seen once goes on being observed,
 * at 0 when none is left, as upstream does, so a closed server reads 0 rather than its last count.
 * The types are Node's internal names (`TCPServerWrap`, `Timeout`, …), a small closed set.
 * Returns a function that detaches the callback.
 */
export function recordActiveResources(meter: Meter, report: ReportFault): () => void {
  const active = meter.createObservableGauge(V8JS_RESOURCE_ACTIVE.name, {
    unit: V8JS_RESOURCE_ACTIVE.unit,
    description: V8JS_RESOURCE_ACTIVE.description,
  });
  const seen = new Set<string>();
  const callback: BatchObservableCallback = (result) => {
    try {
      const counts = new Map<string, number>();
      for (const type of process.getActiveResourcesInfo()) {
        counts.set(type, (counts.get(type) ?? 0) + 1);
        seen.add(type);
      }
      for (const type of seen) result.observe(active, counts.get(type) ?? 0, { 'v8js.resource.type': type });
    } catch (error) {
      report('reading the active resources', error);
    }
  };
  meter.addBatchObservableCallback(callback, [active]);
  return () => meter.removeBatchObservableCallback(callback, [active]);
}
