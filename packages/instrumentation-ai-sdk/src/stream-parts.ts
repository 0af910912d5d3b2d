import { errorTypeOf, type GenAICall } from '@va/instrumentation-genai';
import { reportFault } from './report-fault.js';
import { usageOf } from './usage.js';

type Part = Record<string, unknown>;

/**
 * The parts that are model output, for time to first chunk and between chunks: text, reasoning and
 * tool input as they stream (v2 to v4: `text-delta`, `reasoning-delta`, `tool-input-delta`; v1:
 * `text-delta`, `reasoning`, `tool-call-delta`).
 */
const OUTPUT_PARTS = new Set([
  'text-delta',
  'reasoning-delta',
  'tool-input-delta',
  'reasoning',
  'tool-call-delta',
]);

function observePart(part: unknown, call: GenAICall, provider: unknown): void {
  if (part === null || typeof part !== 'object') return;
  const { type } = part as Part;
  if (typeof type !== 'string') return;
  if (OUTPUT_PARTS.has(type)) {
    // An empty delta (the text part @ai-sdk/openai opens with for OpenAI's role chunk) is no output yet.
    const { delta, textDelta, argsTextDelta } = part as Part;
    if ((delta ?? textDelta ?? argsTextDelta) !== '') call.outputChunk();
  } else if (type === 'response-metadata') {
    const { modelId } = part as Part;
    if (typeof modelId === 'string') call.responseModel = modelId;
  } else if (type === 'finish') {
    call.usage = usageOf((part as Part).usage, (part as Part).providerMetadata, provider);
    call.completed = true;
  } else if (type === 'error' && call.streamFailure === undefined) {
    // The provider's failure delivered as a part (Anthropic's overloaded_error mid-stream): the stream
    // itself ends normally.
    call.streamFailure = errorTypeOf((part as Part).error);
  }
}

/**
 * A stream that gives its reader exactly the parts of `stream`, as they come, and measures the call on
 * the way: output chunks, response model, usage from `finish`, the end (success, a failure part or an
 * error) and a reader that stops early (`canceled`, unless the finish part already came). It pulls only
 * when its reader does. Undefined when `stream` is not a ReadableStream.
 */
export function observedStream(
  stream: unknown,
  call: GenAICall,
  provider: unknown,
): ReadableStream<unknown> | undefined {
  if (typeof (stream as { getReader?: unknown } | null)?.getReader !== 'function') return undefined;
  const reader = (stream as ReadableStream<unknown>).getReader();
  return new ReadableStream<unknown>(
    {
      async pull(controller) {
        let next: { done?: boolean; value?: unknown };
        try {
          next = await reader.read();
        } catch (error) {
          call.fail(error);
          controller.error(error);
          return;
        }
        if (next.done) {
          call.succeed();
          controller.close();
          return;
        }
        try {
          observePart(next.value, call, provider);
        } catch (error) {
          reportFault('observing a stream part', error);
        }
        controller.enqueue(next.value);
      },
      cancel(reason) {
        call.cancel();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
