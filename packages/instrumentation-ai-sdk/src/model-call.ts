import {
  asMeasuredAsyncCall,
  type ClientSettings,
  callAttributes,
  GenAICall,
  insideMeasuredCall,
} from '@va/instrumentation-genai';
import { providerNameOf } from './provider-name.js';
import { RECORDER } from './recorder.js';
import { reportFault } from './report-fault.js';
import { observedStream } from './stream-parts.js';
import { embeddingUsageOf, usageOf } from './usage.js';

type AnyFunction = (...args: unknown[]) => unknown;
type Fields = Record<string, unknown>;

/** The model methods that make one inference call each, and the operation each is. */
export const MODEL_METHODS = {
  doGenerate: 'chat',
  doStream: 'chat',
  doEmbed: 'embeddings',
} as const;
export type ModelMethod = keyof typeof MODEL_METHODS;

function startCall(model: Fields, method: ModelMethod, settings: ClientSettings): GenAICall {
  const requestModel = typeof model.modelId === 'string' ? model.modelId : undefined;
  const attributes = callAttributes(settings, {
    operationName: MODEL_METHODS[method],
    providerName: providerNameOf(model.provider),
    requestModel,
    serverAddress: undefined,
    serverPort: undefined,
  });
  return new GenAICall(RECORDER, settings, attributes, requestModel, method === 'doStream');
}

function readResult(result: unknown, call: GenAICall, model: Fields, method: ModelMethod): unknown {
  const fields = result !== null && typeof result === 'object' ? (result as Fields) : {};
  if (method === 'doEmbed') {
    call.usage = embeddingUsageOf(fields.usage);
    call.succeed();
    return result;
  }
  const responseModel = (fields.response as Fields | undefined)?.modelId;
  if (typeof responseModel === 'string') call.responseModel = responseModel;
  if (method === 'doGenerate') {
    call.usage = usageOf(fields.usage, fields.providerMetadata, model.provider);
    call.succeed();
    return result;
  }
  const stream = observedStream(fields.stream, call, model.provider);
  if (stream === undefined) {
    reportFault('observing a stream', new Error('doStream() returned no ReadableStream'));
    call.succeed();
    return result;
  }
  return { ...fields, stream };
}

/**
 * Calls a model's `doGenerate` / `doStream` / `doEmbed` and measures it as one inference call. The
 * caller gets what the method resolved to (for `doStream`, the same result with a stream that passes
 * every part through as it comes) or the rejection it gave. Anything the method does, after its awaits
 * too, is inside this call: a provider built on a client we also measure (`openai`) is counted here
 * only. If anything of ours fails, the call goes ahead unmeasured.
 */
export function measuredModelCall(
  model: Fields,
  method: ModelMethod,
  original: AnyFunction,
  args: unknown[],
  settings: ClientSettings,
): unknown {
  if (insideMeasuredCall()) return Reflect.apply(original, model, args);
  let call: GenAICall | undefined;
  try {
    call = startCall(model, method, settings);
  } catch (error) {
    reportFault('starting a call', error);
  }
  if (call === undefined) return Reflect.apply(original, model, args);
  const measured = call;
  let pending: unknown;
  try {
    pending = asMeasuredAsyncCall(() => Reflect.apply(original, model, args));
  } catch (error) {
    measured.fail(error);
    throw error;
  }
  return Promise.resolve(pending).then(
    (result) => {
      try {
        return readResult(result, measured, model, method);
      } catch (error) {
        reportFault('reading a result', error);
        return result;
      }
    },
    (error: unknown) => {
      measured.fail(error);
      throw error;
    },
  );
}
