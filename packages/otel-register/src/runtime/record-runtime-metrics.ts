import type { Meter } from '@opentelemetry/api';
import { createFaultReporter, type ReportFault } from '@va/instrumentation-base/diagnostics';
import { recordActiveResources } from './active-resources.js';
import { recordEventLoopDelay } from './event-loop-delay.js';
import { recordEventLoopUtilization } from './event-loop-utilization.js';
import { recordGcDuration } from './gc-duration.js';
import { recordHeapSpaces } from './heap-spaces.js';
import type { RuntimeMetrics } from './types.js';

type Recorder = (meter: Meter, report: ReportFault) => () => void;

const RECORDERS: ReadonlyArray<readonly [string, Recorder]> = [
  ['the event loop utilization', recordEventLoopUtilization],
  ['the event loop delay', recordEventLoopDelay],
  ['the GC durations', recordGcDuration],
  ['the heap spaces', recordHeapSpaces],
  ['the active resources', recordActiveResources],
];

/**
 * The Node.js runtime metrics of @va/semconv's runtime group (event loop, GC, heap spaces, active
 * resources), with the names, units and attributes upstream instrumentation-runtime-node records,
 * without it: no InstrumentationBase is constructed, so nothing hooks `require` (upstream's base
 * class would set up the shared require-in-the-middle hook, which keeps a user's own
 * instrumentations from patching modules loaded after ours).
 *
 * Never throws: a part that fails to start is logged and left out, the others run.
 */
export function recordRuntimeMetrics(meter: Meter): RuntimeMetrics {
  const report = createFaultReporter('@va/otel-register runtime metrics');
  const stops: Array<() => void> = [];
  for (const [what, record] of RECORDERS) {
    try {
      stops.push(record(meter, report));
    } catch (error) {
      report(`starting to record ${what}`, error);
    }
  }
  let stopped = false;
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      for (const stop of stops) {
        try {
          stop();
        } catch (error) {
          report('stopping', error);
        }
      }
    },
  };
}
