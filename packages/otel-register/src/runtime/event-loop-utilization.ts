import { type EventLoopUtilization, performance } from 'node:perf_hooks';
import type { BatchObservableCallback, Meter } from '@opentelemetry/api';
import type { ReportFault } from '@va/instrumentation-base/diagnostics';
import { NODEJS_EVENTLOOP_TIME, NODEJS_EVENTLOOP_UTILIZATION } from '@va/semconv';

const MILLISECONDS_PER_SECOND = 1000;

/**
 * nodejs.eventloop.utilization (the busy share since the previous collection) and
 * nodejs.eventloop.time (cumulative active and idle seconds), both from one reading of
 * performance.eventLoopUtilization() at collection time. Node keeps those totals itself: nothing
 * of ours runs between collections.
 * Returns a function that detaches the callback.
 */
export function recordEventLoopUtilization(meter: Meter, report: ReportFault): () => void {
  const utilization = meter.createObservableGauge(NODEJS_EVENTLOOP_UTILIZATION.name, {
    unit: NODEJS_EVENTLOOP_UTILIZATION.unit,
    description: NODEJS_EVENTLOOP_UTILIZATION.description,
  });
  const time = meter.createObservableCounter(NODEJS_EVENTLOOP_TIME.name, {
    unit: NODEJS_EVENTLOOP_TIME.unit,
    description: NODEJS_EVENTLOOP_TIME.description,
  });
  // Read at start, as upstream does: measured from the process start, the first utilization
  // would include everything before we were loaded.
  let previous: EventLoopUtilization = performance.eventLoopUtilization();
  const callback: BatchObservableCallback = (result) => {
    try {
      const current = performance.eventLoopUtilization();
      result.observe(utilization, performance.eventLoopUtilization(current, previous).utilization);
      previous = current;
      result.observe(time, current.active / MILLISECONDS_PER_SECOND, { 'nodejs.eventloop.state': 'active' });
      result.observe(time, current.idle / MILLISECONDS_PER_SECOND, { 'nodejs.eventloop.state': 'idle' });
    } catch (error) {
      report('reading the event loop utilization', error);
    }
  };
  const observables = [utilization, time];
  meter.addBatchObservableCallback(callback, observables);
  return () => meter.removeBatchObservableCallback(callback, observables);
}
