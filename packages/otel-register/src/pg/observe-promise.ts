import type {
  PgClient,
  PromiseConstructorOfClient,
  PromiseExecutor,
  QueryFunction,
} from './internal-types.js';
import type { FaultReporter, QueryObservation } from './query-recorder.js';

/**
 * The promise form, `await client.query(text)`, observed without touching the promise.
 *
 * pg builds that promise as `new this._Promise(executor)` and settles it from its internal query
 * callback (lib/client.js, since pg 7). For the one synchronous `query()` call we put, in the
 * client's `_Promise`, a function that builds the very same kind of promise but hands pg a resolve
 * and a reject that record first. So the caller receives pg's own promise object (same class, same
 * value or error object, settled in the same tick), and we attach no handler to it: chaining
 * `.then()` would either return a different promise or, by handling the rejection, silence an
 * unhandled rejection the application would otherwise see. The duration is recorded before any
 * `await` of the caller resumes.
 */
export function callObservingPromise(
  original: QueryFunction,
  client: PgClient,
  args: ArrayLike<unknown>,
  observation: QueryObservation,
  reportFault: FaultReporter,
): unknown {
  const PromiseOfClient = client._Promise;
  let built = false;
  const ObservedPromise = function ObservedPromise(executor: PromiseExecutor) {
    // One query, one promise: whatever is built after this one gets pg's own class untouched.
    client._Promise = PromiseOfClient;
    built = true;
    return new PromiseOfClient!((resolve, reject) =>
      executor(
        (value) => {
          observation.succeed();
          resolve(value);
        },
        (reason) => {
          observation.fail(reason);
          reject(reason);
        },
      ),
    );
  } as unknown as PromiseConstructorOfClient;
  try {
    if (typeof PromiseOfClient !== 'function')
      throw new Error('pg client has no _Promise; promise queries go unrecorded');
    client._Promise = ObservedPromise;
  } catch (fault) {
    observation.abandon();
    reportFault(fault);
    return Reflect.apply(original, client, args);
  }
  let result: unknown;
  try {
    result = Reflect.apply(original, client, args);
  } catch (error) {
    observation.fail(error);
    throw error;
  } finally {
    if (client._Promise === ObservedPromise) client._Promise = PromiseOfClient;
  }
  if (!built) {
    observation.abandon();
    reportFault(
      new Error('pg did not build its query promise with client._Promise; promise queries go unrecorded'),
    );
  }
  return result;
}
