import type { PgClient, QueryFunction, Submittable } from './internal-types.js';
import { callObservingPromise } from './observe-promise.js';
import { callObservingSubmittable } from './observe-submittable.js';
import { observingCallback } from './observing-callback.js';
import type { QueryObservation, QueryRecorder } from './query-recorder.js';

type Callback = (this: unknown, ...rest: unknown[]) => unknown;

/**
 * The replacement for `Client.prototype.query` (pool.query goes through it too). It decides which
 * of pg's three forms a call takes, the same way pg does (lib/client.js, lib/utils.js
 * normalizeQueryConfig), and observes its end without changing what the caller sees:
 * - a query object with `submit` (pg.Query, pg-cursor, pg-query-stream): its events or callback;
 * - a callback (`values` when it is a function, then `callback`, then `config.callback`): a
 *   wrapper around it;
 * - no callback: the promise pg builds, see observe-promise.ts.
 * A synchronous throw from pg is recorded and rethrown as is.
 */
export function createQueryPatch(recorder: QueryRecorder): (original: QueryFunction) => QueryFunction {
  return (original) =>
    // Rest arguments: pg is handed exactly as many arguments as the caller passed.
    function query(this: PgClient, ...args: unknown[]): unknown {
      const config = args[0];
      const observation = recorder.begin(this, config);
      if (observation === undefined) return Reflect.apply(original, this, args);
      let form: Form;
      try {
        form = formOf(config, args[1], args[2]);
      } catch (fault) {
        observation.abandon();
        recorder.reportFault(fault);
        return Reflect.apply(original, this, args);
      }
      switch (form) {
        case 'submittable':
          return callObservingSubmittable(
            original,
            this,
            args,
            config as Submittable,
            observation,
            recorder.reportFault,
          );
        case 'promise':
          return callObservingPromise(original, this, args, observation, recorder.reportFault);
        case 'invalid-callback':
          return callObservingThrow(original, this, args, observation);
        default:
          return callObservingCallback(original, this, args, config, form, observation);
      }
    };
}

/** Where the callback sits, by argument position, or `config` for `{ text, callback }`. */
type CallbackPosition = 1 | 2 | 'config';
type Form = 'submittable' | 'promise' | 'invalid-callback' | CallbackPosition;

function formOf(config: unknown, values: unknown, callback: unknown): Form {
  const object = typeof config === 'object' && config !== null ? (config as Submittable) : undefined;
  if (object !== undefined && typeof object.submit === 'function') return 'submittable';
  // pg: `values` is taken as the callback when it is a function, and `callback` overrides both.
  const [effective, position]: [unknown, CallbackPosition] = callback
    ? [callback, 2]
    : typeof values === 'function'
      ? [values, 1]
      : [object?.callback, 'config'];
  if (!effective) return 'promise';
  // pg throws 'callback is not a function'; let it.
  if (typeof effective !== 'function') return 'invalid-callback';
  return position;
}

function callObservingCallback(
  original: QueryFunction,
  client: PgClient,
  args: readonly unknown[],
  config: unknown,
  position: CallbackPosition,
  observation: QueryObservation,
): unknown {
  const copy = [...args];
  const userCallback = (
    position === 'config' ? (config as Submittable).callback : copy[position]
  ) as Callback;
  const observed = observingCallback(userCallback, observation);
  // A callback inside the config object is handed to pg as the third argument, which pg prefers
  // over `config.callback`, so the caller's object is never written to.
  copy[position === 'config' ? 2 : position] = observed;
  try {
    return Reflect.apply(original, client, copy);
  } catch (error) {
    observation.fail(error);
    throw error;
  } finally {
    // Older pg versions store the callback into the caller's config object; leave what pg would.
    if (typeof config === 'object' && config !== null && (config as Submittable).callback === observed) {
      (config as Submittable).callback = userCallback;
    }
  }
}

function callObservingThrow(
  original: QueryFunction,
  client: PgClient,
  args: ArrayLike<unknown>,
  observation: QueryObservation,
): unknown {
  try {
    return Reflect.apply(original, client, args);
  } catch (error) {
    observation.fail(error);
    throw error;
  }
}
