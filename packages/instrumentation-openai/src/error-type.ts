/**
 * `error.type` for a failed call, low-cardinality by construction:
 * - `canceled`: the caller aborted (AbortSignal, `stream.controller.abort()`) or left a stream early;
 * - `timeout`: the client's own timeout fired;
 * - the HTTP status code (`429`, `500` …) for errors the API answered;
 * - otherwise the error's class name (`APIConnectionError`, `TypeError` for a connection cut mid-stream …).
 */
export const CANCELED = 'canceled';

export function errorTypeOf(error: unknown): string {
  if (error === null || typeof error !== 'object') return '_OTHER';
  const className = (error as object).constructor?.name;
  const name = (error as { name?: unknown }).name;
  if (className === 'APIUserAbortError' || name === 'AbortError') return CANCELED;
  if (className === 'APIConnectionTimeoutError') return 'timeout';
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599)
    return String(status);
  if (typeof className === 'string' && className !== '' && className !== 'Object') return className;
  return typeof name === 'string' && name !== '' ? name : '_OTHER';
}
