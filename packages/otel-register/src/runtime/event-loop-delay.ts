import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { BatchObservableCallback, Meter, Observable } from '@opentelemetry/api';
import type { ReportFault } from '@va/instrumentation-base/diagnostics';
import {
  type MetricDefinition,
  NODEJS_EVENTLOOP_DELAY_MAX,
  NODEJS_EVENTLOOP_DELAY_MEAN,
  NODEJS_EVENTLOOP_DELAY_MIN,
  NODEJS_EVENTLOOP_DELAY_P50,
  NODEJS_EVENTLOOP_DELAY_P90,
  NODEJS_EVENTLOOP_DELAY_P99,
  NODEJS_EVENTLOOP_DELAY_STDDEV,
} from '@va/semconv';

/**
 * The sampling interval of the delay histogram, in milliseconds. Node records the time between
 * two firings of a timer with this period, so every value includes the interval itself: an idle
 * loop reports about this much. Upstream instrumentation-runtime-node samples every 10 ms
 * (its `monitoringPrecision` default) and reports the values as they are; we keep both, so the
 * series read the same as before.
 */
export const EVENT_LOOP_DELAY_RESOLUTION_MS = 10;

/** Upstream's threshold: fewer samples than this since the last reset say nothing yet. */
const MINIMUM_SAMPLES = 5;

const NANOSECONDS_PER_SECOND = 1e9;

/**
 * nodejs.eventloop.delay.{min,max,mean,stddev,p50,p90,p99}: the statistics of the delay histogram
 * since the previous collection, which resets it. Node fills the histogram from a timer of its
 * own (not JavaScript) that does not keep the process alive; we only read it at collection time.
 * With too few samples nothing is observed, as upstream does, and the previous values stand.
 * Returns a function that stops sampling and detaches the callback.
 */
export function recordEventLoopDelay(meter: Meter, report: ReportFault): () => void {
  const gauge = (definition: MetricDefinition) =>
    meter.createObservableGauge(definition.name, {
      unit: definition.unit,
      description: definition.description,
    });
  const min = gauge(NODEJS_EVENTLOOP_DELAY_MIN);
  const max = gauge(NODEJS_EVENTLOOP_DELAY_MAX);
  const mean = gauge(NODEJS_EVENTLOOP_DELAY_MEAN);
  const stddev = gauge(NODEJS_EVENTLOOP_DELAY_STDDEV);
  const p50 = gauge(NODEJS_EVENTLOOP_DELAY_P50);
  const p90 = gauge(NODEJS_EVENTLOOP_DELAY_P90);
  const p99 = gauge(NODEJS_EVENTLOOP_DELAY_P99);
  const observables: Observable[] = [min, max, mean, stddev, p50, p90, p99];

  const histogram = monitorEventLoopDelay({ resolution: EVENT_LOOP_DELAY_RESOLUTION_MS });
  const callback: BatchObservableCallback = (result) => {
    try {
      if (histogram.count < MINIMUM_SAMPLES) return;
      result.observe(min, seconds(histogram.min));
      result.observe(max, seconds(histogram.max));
      result.observe(mean, seconds(histogram.mean));
      result.observe(stddev, seconds(histogram.stddev));
      result.observe(p50, seconds(histogram.percentile(50)));
      result.observe(p90, seconds(histogram.percentile(90)));
      result.observe(p99, seconds(histogram.percentile(99)));
      histogram.reset();
    } catch (error) {
      report('reading the event loop delay', error);
    }
  };
  meter.addBatchObservableCallback(callback, observables);
  histogram.enable();
  return () => {
    histogram.disable();
    meter.removeBatchObservableCallback(callback, observables);
  };
}

/** An empty histogram reads NaN for its mean and deviation; upstream reports those as 0. */
function seconds(nanoseconds: number): number {
  return Number.isNaN(nanoseconds) ? 0 : nanoseconds / NANOSECONDS_PER_SECOND;
}
