import { GenAICall } from '@va/instrumentation-genai';

/** Anthropic's error types (`overloaded_error`, `api_error` …): a closed, low-cardinality set. */
const ERROR_TYPE = /^[a-z][a-z_]{0,40}_error$/;

function errorTypeIn(value: unknown): string | undefined {
  return typeof value === 'string' && ERROR_TYPE.test(value) ? value : undefined;
}

/** The `error.type` inside an Anthropic error body (`{ type: 'error', error: { type } }`), parsed or as JSON text. */
function bodyErrorTypeOf(body: unknown): string | undefined {
  let parsed = body;
  if (typeof body === 'string') {
    if (!body.startsWith('{')) return undefined;
    try {
      parsed = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  return errorTypeIn((parsed as { error?: { type?: unknown } } | null | undefined)?.error?.type);
}

/**
 * The Anthropic error type of a failure the API delivered without an HTTP status: a stream's `error`
 * event (`overloaded_error` mid-stream, after the 200), which the SDK throws with no `status`. 1.x throws
 * an `APIError` with the type on it (`type`) and the body (`error`); 0.x an `APIConnectionError` whose
 * message is the event's JSON text.
 */
export function streamErrorTypeOf(error: unknown): string | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const { status, type, error: body, message } = error as Record<string, unknown>;
  if (typeof status === 'number') return undefined;
  return errorTypeIn(type) ?? bodyErrorTypeOf(body) ?? bodyErrorTypeOf(message);
}

/**
 * One `messages.create` call. A failure with an HTTP status is recorded by its status (`429`, `529`),
 * as for every client; one without, a stream's `error` event, by its Anthropic error type.
 */
export class AnthropicCall extends GenAICall {
  protected override errorTypeOf(error: unknown): string {
    return streamErrorTypeOf(error) ?? super.errorTypeOf(error);
  }
}
