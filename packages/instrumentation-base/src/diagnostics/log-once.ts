import { type DiagLogger, diag } from '@opentelemetry/api';
import { RememberedKeys } from './remembered-keys.js';

/** The diag level a once-only line is logged at. */
export type DiagLevel = 'error' | 'warn' | 'info' | 'debug' | 'verbose';

/** Logs `message` the first time `key` comes; later calls with the same key are silent. Never throws. */
export type LogOnce = (key: string, message: string) => void;

/**
 * One line per kind of thing: a bad variable read at every start(), a model without a price on every
 * call, a mark out of order on every turn would otherwise repeat their line each time. Each logger
 * returned has a memory of its own, so its keys need only be unique to its caller (module level: once
 * per process). A logger that throws is ignored: a note about metrics must never become an app fault.
 */
export function createLogOnce(level: DiagLevel, logger: DiagLogger = diag): LogOnce {
  const said = new RememberedKeys();
  return (key, message) => {
    try {
      if (said.isNew(key)) logger[level](message);
    } catch {
      // Nothing to log it with; the app goes on.
    }
  };
}
