import { isFields, modelFieldOf } from '@va/instrumentation-genai';
import type { OpenAICall as GenAICall } from './openai-call.js';
import { readUsage } from './usage.js';

/** Reads the model and usage of a parsed, non-streamed result into the call. */
export function readParsedResult(call: GenAICall, result: unknown): void {
  if (!isFields(result)) return;
  if (call.operation.shape === 'binary') return;
  call.responseModel = modelFieldOf(result) ?? call.responseModel;
  call.usage = readUsage(result.usage) ?? call.usage;
}

/**
 * Observes one streamed item (a chunk or an event) before the caller sees it. Returns `false` for
 * the one item the caller must not see: the usage-only chunk we asked for on their behalf.
 */
export function observeStreamItem(call: GenAICall, item: unknown): boolean {
  if (!isFields(item)) return true;
  switch (call.operation.shape) {
    case 'completion':
      return observeCompletionChunk(call, item);
    case 'response':
      observeResponseEvent(call, item);
      return true;
    case 'transcript':
      observeTranscriptEvent(call, item);
      return true;
    default:
      return true;
  }
}

function observeCompletionChunk(call: GenAICall, chunk: Record<string, unknown>): boolean {
  if (call.responseModel === undefined) call.responseModel = modelFieldOf(chunk);
  const usage = chunk.usage;
  if (isFields(usage)) call.usage = readUsage(usage) ?? call.usage;
  const choices = chunk.choices;
  if (Array.isArray(choices) && choices.length > 0) {
    let text: unknown;
    for (const choice of choices) {
      if (!isFields(choice)) continue;
      if (choice.finish_reason !== null && choice.finish_reason !== undefined) call.completed = true;
      const delta = choice.delta;
      text ??= isFields(delta) ? delta.content : choice.text;
    }
    call.outputChunk(text);
  }
  if (!call.injectedStreamUsage) return true;
  // OpenAI puts `usage: null` on every chunk once usage is requested; without our request the
  // caller's chunks have no such field, so it goes.
  if (usage === null) delete chunk.usage;
  return !(Array.isArray(choices) && choices.length === 0 && isFields(usage));
}

/** Lifecycle events of the Responses API stream; they are not output chunks. */
function observeResponseEvent(call: GenAICall, event: Record<string, unknown>): void {
  const type = event.type;
  if (typeof type !== 'string') return;
  if (type.endsWith('.delta')) {
    call.outputChunk(type === 'response.output_text.delta' ? event.delta : undefined);
    return;
  }
  const response = event.response;
  if (isFields(response)) {
    call.responseModel = modelFieldOf(response) ?? call.responseModel;
    if (response.usage !== undefined) call.usage = readUsage(response.usage) ?? call.usage;
  }
  if (type === 'response.completed' || type === 'response.incomplete') call.completed = true;
  else if (type === 'response.failed') {
    call.completed = true;
    const error = isFields(response) ? response.error : undefined;
    call.streamFailure = isFields(error) && typeof error.code === 'string' ? error.code : 'response.failed';
  } else if (type === 'error') {
    call.streamFailure = typeof event.code === 'string' ? event.code : 'error';
  }
}

function observeTranscriptEvent(call: GenAICall, event: Record<string, unknown>): void {
  const type = event.type;
  if (type === 'transcript.text.delta') call.outputChunk(event.delta);
  else if (type === 'transcript.text.done') {
    call.completed = true;
    call.usage = readUsage(event.usage) ?? call.usage;
  }
}
