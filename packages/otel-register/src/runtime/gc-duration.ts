import { type NodeGCPerformanceDetail, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import type { Meter } from '@opentelemetry/api';
import type { ReportFault } from '@va/instrumentation-base/diagnostics';
import { createHistogramFor, V8JS_GC_DURATION } from '@va/semconv';
import { gcTypeOf } from './gc-type.js';

const MILLISECONDS_PER_SECOND = 1000;

/**
 * v8js.gc.duration: every GC pause, by type, from one PerformanceObserver. Node delivers the
 * entries after the pause, outside any application callback; an observer does not keep the
 * process alive. A GC of a kind the conventions do not name is left out rather than recorded
 * without its required type.
 * Returns a function that disconnects the observer.
 */
export function recordGcDuration(meter: Meter, report: ReportFault): () => void {
  const duration = createHistogramFor(meter, V8JS_GC_DURATION);
  // A throw here would surface as an uncaught exception in the host.
  const observer = new PerformanceObserver((list) => {
    try {
      for (const entry of list.getEntries()) {
        const type = gcTypeOf(kindOf(entry));
        if (type === undefined) continue;
        duration.record(entry.duration / MILLISECONDS_PER_SECOND, { 'v8js.gc.type': type });
      }
    } catch (error) {
      report('recording a GC pause', error);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => observer.disconnect();
}

/** Node ≥ 16 puts the kind in `detail`; the top-level `kind` is deprecated (DEP0152). */
function kindOf(entry: PerformanceEntry): number {
  const { detail } = entry as PerformanceEntry & { detail?: Partial<NodeGCPerformanceDetail> | null };
  return typeof detail?.kind === 'number' ? detail.kind : Number.NaN;
}
