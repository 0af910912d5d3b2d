import { errorTypeOf as commonErrorTypeOf } from '@va/instrumentation-base';

/**
 * `error.type` for a failed GenAI call, low-cardinality by construction. What the LLM clients share
 * comes first:
 * - `canceled`: the caller aborted (AbortSignal, a stream's `controller.abort()`) or left a stream early;
 * - `timeout`: the client's own timeout fired (`APIConnectionTimeoutError` in the Stainless-generated
 *   clients, `openai` and `@anthropic-ai/sdk`);
 * - the HTTP status code of the Vercel AI SDK's `APICallError` (`AI_APICallError`), which carries it as
 *   `statusCode`, not `status`;
 * then the order every @va package shares (@va/instrumentation-base): the HTTP status code (`429`,
 * `529` …) for errors the API answered, otherwise the error's class name (`APIConnectionError`,
 * `TypeError` for a connection cut mid-stream …), else `_OTHER`.
 */
export const CANCELED = 'canceled';

export function errorTypeOf(error: unknown): string {
  return commonErrorTypeOf(error, clientErrorType);
}

function clientErrorType(error: object): string | undefined {
  const className = error.constructor?.name;
  if (className === 'APIUserAbortError' || (error as { name?: unknown }).name === 'AbortError')
    return CANCELED;
  if (className === 'APIConnectionTimeoutError') return 'timeout';
  return aiSdkStatusOf(error);
}

function aiSdkStatusOf(error: object): string | undefined {
  const { name, statusCode } = error as { name?: unknown; statusCode?: unknown };
  if (name !== 'AI_APICallError') return undefined;
  return typeof statusCode === 'number' &&
    Number.isInteger(statusCode) &&
    statusCode >= 100 &&
    statusCode <= 599
    ? String(statusCode)
    : undefined;
}
