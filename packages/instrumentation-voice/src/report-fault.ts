import { diag } from '@opentelemetry/api';

const reported = new Set<string>();

/**
 * Logs a fault of ours once per kind, through `diag`. The call it happened in goes on untouched:
 * a metrics bug must never reach the voice pipeline.
 */
export function reportFault(where: string, error: unknown): void {
  try {
    if (reported.has(where)) return;
    reported.add(where);
    diag.warn(`@va/instrumentation-voice: ${where} failed; some voice metrics may be missing`, error);
  } catch {
    // A logger that throws must not turn a metrics fault into an app fault either.
  }
}
