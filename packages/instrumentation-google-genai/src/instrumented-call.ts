import {
  type ClientSettings,
  callAttributes,
  fieldOf,
  type GenAICall,
  instrumentedCall as measuredCall,
  observeIterator,
  type StartedCall,
  serverEndpointOf,
} from '@va/instrumentation-genai';
import { GoogleGenAICall } from './google-genai-call.js';
import { RECORDER } from './recorder.js';
import { readEmbeddingUsage, readGeminiUsage } from './usage.js';

/** The `Models` methods that are LLM calls; `countTokens`, `generateImages` and the rest are not measured. */
export type MeasuredMethod = 'generateContent' | 'generateContentStream' | 'embedContent';

export const MEASURED_METHODS: readonly MeasuredMethod[] = [
  'generateContent',
  'generateContentStream',
  'embedContent',
];

export function isMeasuredMethod(key: PropertyKey): key is MeasuredMethod {
  return (MEASURED_METHODS as readonly PropertyKey[]).includes(key);
}

type Params = { model?: unknown; config?: { abortSignal?: { aborted?: unknown } } };

/** What a `Models` instance knows of its client (its `apiClient`, in every major). */
interface ApiClientLike {
  isVertexAI?: () => unknown;
  getBaseUrl?: () => unknown;
}

function startCall(
  settings: ClientSettings,
  models: unknown,
  method: MeasuredMethod,
  args: unknown[],
): StartedCall {
  const params: Params = args[0] !== null && typeof args[0] === 'object' ? (args[0] as Params) : {};
  const requestModel = typeof params.model === 'string' ? params.model : undefined;
  const apiClient = fieldOf(models, 'apiClient') as ApiClientLike | undefined;
  const vertex = apiClient?.isVertexAI?.() === true;
  const server = serverEndpointOf(apiClient?.getBaseUrl?.());
  const attributes = callAttributes(settings, {
    operationName: method === 'embedContent' ? 'embeddings' : 'generate_content',
    providerName: vertex ? 'gcp.vertex_ai' : 'gcp.gemini',
    requestModel,
    serverAddress: server?.serverAddress,
    serverPort: server?.serverPort,
  });
  const call = new GoogleGenAICall(
    RECORDER,
    settings,
    attributes,
    requestModel,
    method === 'generateContentStream',
  );
  call.callerSignal = params.config?.abortSignal;
  return { call, args };
}

/** Reads one streamed `GenerateContentResponse`: its usage is the call's so far (running totals). */
function observeChunk(call: GenAICall, chunk: unknown): boolean {
  call.outputChunk();
  const model = fieldOf(chunk, 'modelVersion');
  if (typeof model === 'string') call.responseModel = model;
  const usage = readGeminiUsage(fieldOf(chunk, 'usageMetadata'));
  if (usage !== undefined) call.usage = usage;
  const candidates = fieldOf(chunk, 'candidates');
  if (
    Array.isArray(candidates) &&
    candidates.some((candidate) => fieldOf(candidate, 'finishReason') !== undefined)
  )
    call.completed = true;
  return true;
}

type GeneratorLike = {
  next?: unknown;
  return?: unknown;
  throw?: unknown;
};

/**
 * Observes the AsyncGenerator `generateContentStream` resolves to, in place: the caller iterates the
 * very object the client made, whose `next`, `return` and `throw` now pass through the call's
 * observer. The end of the stream, its first error or an early `return()` (a `break`) finishes the call.
 */
function observeGenerator(generator: unknown, call: GenAICall): boolean {
  const target = generator as GeneratorLike | null;
  if (target === null || typeof target !== 'object' || typeof target.next !== 'function') return false;
  const bound = (method: unknown) =>
    typeof method === 'function' ? (method as (...args: unknown[]) => unknown).bind(target) : undefined;
  const inner = {
    next: bound(target.next) as () => Promise<IteratorResult<unknown>>,
    return: bound(target.return) as ((value?: unknown) => Promise<IteratorResult<unknown>>) | undefined,
    throw: bound(target.throw) as ((error?: unknown) => Promise<IteratorResult<unknown>>) | undefined,
  };
  const observed = observeIterator(inner, call, observeChunk);
  for (const key of ['next', 'return', 'throw'] as const) {
    const method = observed[key];
    if (method === undefined || inner[key] === undefined) continue;
    // As the property was: the stream looks the same to whoever inspects it.
    const enumerable = Object.getOwnPropertyDescriptor(target, key)?.enumerable ?? false;
    Object.defineProperty(target, key, { configurable: true, writable: true, enumerable, value: method });
  }
  return true;
}

function readResult(call: GenAICall, method: MeasuredMethod, value: unknown): void {
  if (method === 'embedContent') {
    call.usage = readEmbeddingUsage(value);
    return;
  }
  const model = fieldOf(value, 'modelVersion');
  if (typeof model === 'string') call.responseModel = model;
  call.usage = readGeminiUsage(fieldOf(value, 'usageMetadata'));
}

function observe(result: unknown, call: GenAICall, method: MeasuredMethod): boolean {
  if (typeof (result as { then?: unknown } | null)?.then !== 'function') return false;
  (result as Promise<unknown>).then(
    (value) => {
      if (method === 'generateContentStream') {
        if (!observeGenerator(value, call)) {
          call.recorder.reportFault('observing a stream', new Error('the stream is not an async generator'));
          call.succeed();
        }
        return;
      }
      try {
        readResult(call, method, value);
      } catch (error) {
        call.recorder.reportFault('reading a response', error);
      }
      call.succeed();
    },
    (error: unknown) => call.fail(error),
  );
  return true;
}

/**
 * Calls a measured `Models` method and measures it. The caller gets exactly what the method returned
 * or threw (the same promise, resolving to the same response or generator); if anything of ours fails,
 * the call goes ahead unmeasured.
 */
export function instrumentedCall(
  settings: ClientSettings,
  models: unknown,
  method: MeasuredMethod,
  original: (...args: unknown[]) => unknown,
  args: unknown[],
): unknown {
  return measuredCall(
    RECORDER,
    () => startCall(settings, models, method, args),
    original,
    models,
    args,
    (result, call) => observe(result, call, method),
  );
}
