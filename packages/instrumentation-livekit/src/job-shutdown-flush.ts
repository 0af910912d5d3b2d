import { type MeterProvider, metrics } from '@opentelemetry/api';

/** What this needs of a LiveKit `JobContext`. */
interface JobContext {
  addShutdownCallback(callback: () => Promise<void>): void;
}

type GetJobContext = (required: false) => JobContext | undefined;

/** Long enough to hand a process's metrics to its parent; short enough never to hold a job's shutdown up. */
const FLUSH_TIMEOUT_MS = 2_000;

const registered = new WeakSet<object>();

/** `getJobContext` of a loaded `@livekit/agents`, CommonJS exports or an ES module namespace. */
export function getJobContextOf(moduleExports: unknown): GetJobContext | undefined {
  const exports = moduleExports as { getJobContext?: unknown; default?: { getJobContext?: unknown } };
  const getJobContext = exports?.getJobContext ?? exports?.default?.getJobContext;
  return typeof getJobContext === 'function' ? (getJobContext as GetJobContext) : undefined;
}

/**
 * Inside a LiveKit job (a process of its own, which exits right after its shutdown callbacks): flushes the
 * meter provider among them, once per job, after the session closed. Under the register the job process's
 * metrics are served by the worker process it was forked from, which would otherwise see the last of them
 * (the session's end) only at a scrape the job process no longer lives to answer. Bounded, never throws.
 */
export function flushMetricsAtJobShutdown(
  getJobContext: GetJobContext | undefined,
  meterProvider: MeterProvider | undefined,
): void {
  const context = getJobContext?.(false);
  if (context === undefined || context === null || typeof context.addShutdownCallback !== 'function') return;
  if (registered.has(context)) return;
  registered.add(context);
  context.addShutdownCallback(async () => {
    const provider = (meterProvider ?? metrics.getMeterProvider()) as { forceFlush?: () => Promise<void> };
    if (typeof provider.forceFlush !== 'function') return;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        provider.forceFlush(),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, FLUSH_TIMEOUT_MS);
          timer.unref();
        }),
      ]);
    } catch {
      // A failed flush costs the last metrics of this job, never its shutdown.
    } finally {
      clearTimeout(timer);
    }
  });
}
