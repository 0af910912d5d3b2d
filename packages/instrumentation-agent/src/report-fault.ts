import { diag } from '@opentelemetry/api';

const reported = new Set<string>();

/**
 * Logs a fault of ours once per kind, through `diag`. The work it happened in goes on untouched:
 * a metrics bug must never reach the app.
 */
export function reportFault(where: string, error: unknown): void {
  if (reported.has(where)) return;
  reported.add(where);
  diag.warn(`@va/instrumentation-agent: ${where} failed; this call may be missing from the metrics`, error);
}
