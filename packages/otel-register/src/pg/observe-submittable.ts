import type { PgClient, QueryFunction, Submittable } from './internal-types.js';
import { observingCallback, type QuerySettlement } from './observing-callback.js';
import type { FaultReporter, QueryObservation } from './query-recorder.js';

type Emit = NonNullable<Submittable['emit']>;
type Callback = (this: unknown, ...rest: unknown[]) => unknown;

interface QueryEnding extends QuerySettlement {
  succeed(): void;
  fail(error: unknown): void;
}

/**
 * A query object pg passes to the connection as is (pg.Query, pg-cursor, pg-query-stream) and
 * returns to the caller. It ends with an `end` or `error` event, or, for pg.Query given a callback,
 * with that callback alone (it then emits no `error`).
 *
 * The events are seen by intercepting the object's own `emit` rather than by listening: an `error`
 * listener of ours would turn an unhandled `error` event, which throws, into a handled one. The
 * interception and any callback wrapper are removed as soon as the query has ended, so the object
 * the application holds afterwards is as pg left it. A stream destroyed before its end (a consumer
 * that stops reading) emits neither, and is not recorded.
 */
export function callObservingSubmittable(
  original: QueryFunction,
  client: PgClient,
  args: ArrayLike<unknown>,
  submittable: Submittable,
  observation: QueryObservation,
  reportFault: FaultReporter,
): unknown {
  let uninstallEmit: (() => void) | undefined;
  let restoreCallback: (() => void) | undefined;
  const cleanUp = (): void => {
    try {
      uninstallEmit?.();
      restoreCallback?.();
    } catch (fault) {
      reportFault(fault);
    }
  };
  const ending: QueryEnding = {
    settle(error) {
      cleanUp();
      observation.settle(error);
    },
    succeed() {
      cleanUp();
      observation.succeed();
    },
    fail(error) {
      cleanUp();
      observation.fail(error);
    },
  };
  let argumentsToPass = args;
  try {
    if (typeof submittable.emit === 'function') uninstallEmit = interceptEmit(submittable, ending);
    // Where pg takes the callback from (lib/client.js): the object's own, else `values` when it is
    // a function, else `callback` (recent pg 8 releases only; older ones ignore it, which is fine).
    const { callback } = submittable;
    if (typeof callback === 'function') {
      const observed = observingCallback(callback as Callback, ending);
      submittable.callback = observed;
      restoreCallback = () => {
        if (submittable.callback === observed) submittable.callback = callback;
      };
    } else if (!callback) {
      const position = typeof args[1] === 'function' ? 1 : typeof args[2] === 'function' ? 2 : -1;
      if (position !== -1) {
        const copy = Array.from(args);
        copy[position] = observingCallback(args[position] as Callback, ending);
        argumentsToPass = copy;
      }
    }
    if (uninstallEmit === undefined && argumentsToPass === args && restoreCallback === undefined) {
      // Neither an event nor a callback to learn its end from: it runs unrecorded.
      observation.abandon();
    }
  } catch (fault) {
    uninstallEmit?.();
    restoreCallback?.();
    observation.abandon();
    reportFault(fault);
    return Reflect.apply(original, client, args);
  }
  try {
    return Reflect.apply(original, client, argumentsToPass);
  } catch (error) {
    ending.fail(error);
    throw error;
  }
}

function interceptEmit(submittable: Submittable, ending: QueryEnding): () => void {
  const ownDescriptor = Object.getOwnPropertyDescriptor(submittable, 'emit');
  const originalEmit = submittable.emit as Emit;
  const observedEmit = function observedEmit(this: unknown, ...args: Parameters<Emit>): boolean {
    const event = args[0];
    if (event === 'end') ending.succeed();
    else if (event === 'error') ending.fail(args[1]);
    return Reflect.apply(originalEmit, this, args);
  };
  Object.defineProperty(submittable, 'emit', {
    configurable: true,
    enumerable: false,
    writable: true,
    value: observedEmit,
  });
  return () => {
    if (submittable.emit !== observedEmit) return;
    if (ownDescriptor === undefined) Reflect.deleteProperty(submittable, 'emit');
    else Object.defineProperty(submittable, 'emit', ownDescriptor);
  };
}
