import { diag } from '@opentelemetry/api';
import { createLogOnce } from '@va/instrumentation-base/diagnostics';

const debugOnce = createLogOnce('debug');

/**
 * Logs, once per kind and at debug level, a call the tracker ignored (a mark out of order, an
 * unknown mark, a bad value). Pipelines repeat such calls on every turn, so more than one line
 * per kind would flood the logs; debug, since the metrics stay correct without that data.
 */
export function reportMisuse(kind: string, message: string): void {
  debugOnce(kind, `@va/instrumentation-voice: ${message}`);
}

/** Warns about an option the tracker replaced or dropped: said once, when the tracker is created. */
export function warnAboutOption(message: string): void {
  try {
    diag.warn(`@va/instrumentation-voice: ${message}`);
  } catch {
    // A logger that throws must not reach the app.
  }
}
