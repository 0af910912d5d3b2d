import { asMeasuredCall, insideMeasuredCall } from './call-nesting.js';
import type { CallRecorder, GenAICall } from './genai-call.js';

/** A call as started by a client instrumentation: its record, and the arguments to call the method with. */
export interface StartedCall {
  readonly call: GenAICall;
  /** The caller's arguments, or a copy the instrumentation changed (never the caller's own objects). */
  readonly args: unknown[];
}

/**
 * Calls a client method and measures it. The caller gets exactly what the method returned or threw;
 * if anything of ours fails, the call goes ahead unmeasured. A call made while another measured call
 * runs (a helper calling the measured method) passes through: the outer one records.
 * - `start` describes the call (it may throw: the call then goes ahead unmeasured);
 * - `observe` attaches to what the method returned (an APIPromise, a Promise …) and returns false when
 *   it could not, which is reported as a fault of ours.
 */
export function instrumentedCall(
  recorder: CallRecorder,
  start: () => StartedCall,
  original: (...args: unknown[]) => unknown,
  thisArg: unknown,
  args: unknown[],
  observe: (result: unknown, call: GenAICall) => boolean,
): unknown {
  if (insideMeasuredCall()) return Reflect.apply(original, thisArg, args);
  let started: StartedCall | undefined;
  try {
    started = start();
  } catch (error) {
    recorder.reportFault('starting a call', error);
  }
  if (started === undefined) return Reflect.apply(original, thisArg, args);

  const { call } = started;
  const callArgs = started.args;
  let result: unknown;
  try {
    result = asMeasuredCall(() => Reflect.apply(original, thisArg, callArgs));
  } catch (error) {
    call.fail(error);
    throw error;
  }
  try {
    if (!observe(result, call))
      recorder.reportFault('observing a call', new Error('the method returned nothing we can observe'));
  } catch (error) {
    recorder.reportFault('observing a call', error);
  }
  return result;
}
