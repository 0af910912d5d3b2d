import { diag } from '@opentelemetry/api';
import { RememberedKeys } from './remembered-keys.js';

/** Reports a fault of ours: what was being done when it happened (`recording a call`), and what was thrown. */
export type ReportFault = (where: string, error: unknown) => void;

/**
 * Our own faults are caught where they happen and handed to a reporter; none reaches the application,
 * whose call goes on untouched. The first fault at each `where` is logged through `diag` as an error,
 * `<component>: <where> failed; the application goes on, some data may be missing`, with what was
 * thrown; the same fault again is a debug line, `<component>: <where> failed again`: an instrument
 * that throws on every call, or a callback at every collection, would otherwise flood the host's log.
 * Each reporter remembers its own `where`s (created at module level: once per process). A logger that
 * throws is ignored: it must not turn a metrics fault into an app fault.
 */
export function createFaultReporter(component: string): ReportFault {
  const reported = new RememberedKeys();
  return (where, error) => {
    try {
      if (reported.isNew(where)) {
        diag.error(`${component}: ${where} failed; the application goes on, some data may be missing`, error);
      } else {
        diag.debug(`${component}: ${where} failed again`, error);
      }
    } catch {
      // Nothing to log it with; the app goes on.
    }
  };
}
