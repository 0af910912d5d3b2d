// The problems the bridge finds in the data it is given (a metric it cannot render, a stream that changed its
// temporality, processes whose metrics do not merge) come back on every scrape; each is logged once, through
// diag. Keys come from metric names, which a misbehaving app could create without end: past the bound, new
// problems are no longer logged, rather than memory growing with them (one last warning says so).

import { diag } from '@opentelemetry/api';

const diagLogger = diag.createComponentLogger({ namespace: '@va/prometheus-bridge' });

/** How many distinct problems one {@link WarnOnce} remembers. */
const MAX_KEYS = 1_000;

/** Logs each distinct problem once. */
export class WarnOnce {
  private readonly _warned = new Set<string>();

  /** Logs `message` as a diag warning, unless a warning with this `key` was logged already. */
  warn(key: string, message: string): void {
    const warned = this._warned;
    if (warned.size >= MAX_KEYS || warned.has(key)) return;
    warned.add(key);
    diagLogger.warn(message);
    if (warned.size === MAX_KEYS) {
      diagLogger.warn(
        `${MAX_KEYS} distinct metric problems were reported above; further ones are not logged`,
      );
    }
  }
}
