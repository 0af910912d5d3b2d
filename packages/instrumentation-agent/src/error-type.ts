import { errorTypeOf as commonErrorTypeOf } from '@va/instrumentation-base/diagnostics';

/**
 * `error.type` for a failed agent, node or tool call, in the order every @va package shares
 * (@va/instrumentation-base): the HTTP status code (`429`, `503` …) of an error that carries one as a
 * numeric `status`; a DOMException's name (`AbortError`, `TimeoutError`); the class name (`TypeError`,
 * `ToolTimeoutError`); else `_OTHER`. Never the message: it may hold arguments or user data. Agents
 * throw anything, so nothing is read before that order.
 */
export function errorTypeOf(error: unknown): string {
  return commonErrorTypeOf(error);
}
