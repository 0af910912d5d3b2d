import { type GenAICall, isFields, modelFieldOf } from '@va/instrumentation-genai';
import { readAnthropicUsage, withFinalUsage } from './usage.js';

/** Reads the model and usage of a `Message` (a non-streamed result) into the call. */
export function readParsedMessage(call: GenAICall, result: unknown): void {
  if (!isFields(result)) return;
  call.responseModel = modelFieldOf(result) ?? call.responseModel;
  call.usage = readAnthropicUsage(result.usage) ?? call.usage;
}

/**
 * Observes one event of a Messages stream before the caller sees it: `message_start` names the model
 * and the input counts (its `output_tokens` is provisional and left out: a stream cut before
 * `message_delta` records no output); each `content_block_delta` is an output chunk; `message_delta`
 * carries the cumulative, final usage; `message_stop` is the natural end. Every event reaches the caller.
 */
export function observeMessageStreamEvent(call: GenAICall, event: unknown): boolean {
  if (!isFields(event)) return true;
  switch (event.type) {
    case 'content_block_delta':
      call.outputChunk();
      break;
    case 'message_start': {
      const message = event.message;
      call.responseModel = modelFieldOf(message) ?? call.responseModel;
      const usage = isFields(message) ? readAnthropicUsage(message.usage) : undefined;
      if (usage !== undefined) call.usage = { ...usage, output: undefined };
      break;
    }
    case 'message_delta':
      call.usage = withFinalUsage(call.usage, event.usage);
      break;
    case 'message_stop':
      call.completed = true;
      break;
    case 'error': {
      const error = event.error;
      call.streamFailure = isFields(error) && typeof error.type === 'string' ? error.type : 'error';
      break;
    }
  }
  return true;
}
