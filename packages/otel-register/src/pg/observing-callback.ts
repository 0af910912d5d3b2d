/** How a query ended, as pg reports it: an error (truthy, as pg tests it) or none. */
export interface QuerySettlement {
  settle(error: unknown): void;
}

type Callback = (this: unknown, ...rest: unknown[]) => unknown;

/**
 * The user's callback, preceded by our bookkeeping. pg calls it `callback(err)` or
 * `callback(null, result)` with the query as `this`; both the arguments (their number included)
 * and `this` are passed through untouched, and its return value is returned.
 */
export function observingCallback(callback: Callback, settlement: QuerySettlement): Callback {
  return function observedCallback(this: unknown, ...rest: unknown[]): unknown {
    settlement.settle(rest[0]);
    return callback.apply(this, rest);
  };
}
