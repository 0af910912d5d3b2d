import { diag } from '@opentelemetry/api';

const reported = new Set<string>();

/**
 * Logs, once per kind and at debug level, a call the tracker ignored (a mark out of order, an
 * unknown mark, a bad value). Pipelines repeat such calls on every turn, so more than one line
 * per kind would flood the logs; debug, since the metrics stay correct without that data.
 */
export function reportMisuse(kind: string, message: string): void {
  try {
    if (reported.has(kind)) return;
    reported.add(kind);
    diag.debug(`@va/instrumentation-voice: ${message}`);
  } catch {
    // A logger that throws must not reach the app.
  }
}

/** Warns about an option the tracker replaced or dropped: said once, when the tracker is created. */
export function warnAboutOption(message: string): void {
  try {
    diag.warn(`@va/instrumentation-voice: ${message}`);
  } catch {
    // Same as above.
  }
}
