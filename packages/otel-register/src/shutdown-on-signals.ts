import { diag } from '@opentelemetry/api';

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Flushes on SIGTERM/SIGINT without changing how the process ends. Listening to a signal turns off
 * Node's default action (exit), so:
 * - when the app listens to the signal too, it owns the exit: we only flush;
 * - otherwise we flush for at most `flushTimeoutMillis`, then re-raise the signal with our
 *   listeners removed, so the process dies of it exactly as it would have without us (same exit
 *   status, and a second Ctrl-C during the flush kills at once).
 * The upstream auto-instrumentations register did not exit on SIGTERM at all.
 */
export function shutdownOnSignals(shutdown: () => Promise<void>, flushTimeoutMillis = 1500): () => void {
  const onSignal = (signal: NodeJS.Signals): void => {
    const appHandlesSignal = process.listenerCount(signal) > 1;
    removeListeners();
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      if (!appHandlesSignal) process.kill(process.pid, signal);
    };
    const deadline = setTimeout(finish, flushTimeoutMillis);
    shutdown()
      .catch((error: unknown) => diag.warn('@va/otel-register: shutdown on signal failed', error))
      .finally(() => {
        clearTimeout(deadline);
        finish();
      });
  };
  const removeListeners = (): void => {
    for (const signal of SIGNALS) process.removeListener(signal, onSignal);
  };
  // First in line: whether the app listens is read before any of its listeners ran, and a `once`
  // listener of the app's removes itself as it runs.
  for (const signal of SIGNALS) process.prependListener(signal, onSignal);
  return removeListeners;
}
