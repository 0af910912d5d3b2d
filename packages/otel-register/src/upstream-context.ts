import { context, createContextKey } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';

export interface ContextManagerClaim {
  /** Unregisters ours, so the application's own SDK can register its context manager. */
  release(): void;
}

/** Whether a context manager is registered: the no-op one drops values set with `context.with`. */
function contextPropagates(): boolean {
  const probe = createContextKey('@va/otel-register context probe');
  return context.with(
    context.active().setValue(probe, true),
    () => context.active().getValue(probe) === true,
  );
}

/**
 * On the upstream HTTP server path only: http.route reaches instrumentation-http's metrics through
 * the active context, set by the express and fastify instrumentations, which needs a context
 * manager. An application that runs a tracing SDK has one; if that SDK starts after us it finds ours
 * and says so (docs/opentelemetry.md: on this path, load the register after it). Our own path needs
 * none, so by default the register leaves the context API alone.
 */
export function provideContextManager(): ContextManagerClaim | undefined {
  if (contextPropagates()) return undefined;
  if (!context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())) return undefined;
  let held = true;
  return {
    release() {
      if (held) context.disable();
      held = false;
    },
  };
}
