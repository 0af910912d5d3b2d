// `error.type` for an outgoing request that failed before its response headers arrived
// (https://opentelemetry.io/docs/specs/semconv/registry/attributes/error/): a low-cardinality
// identifier of the failure, never its message.
//
// - `AbortError` when the caller gave up: Node's AbortError (node:http with a signal) and fetch's
//   DOMException share the name, so one value means "cancelled" for both clients.
// - The error's `code` when it is an identifier: Node's system and internal codes (`ECONNREFUSED`,
//   `ECONNRESET` for a socket hung up, `ENOTFOUND`), TLS verification codes
//   (`DEPTH_ZERO_SELF_SIGNED_CERT`) and undici's (`UND_ERR_SOCKET`). These tell a refused connection
//   from a reset one, which the class name (`Error` for all of them) cannot.
// - A DOMException's name (`TimeoutError` for AbortSignal.timeout()): its class names every kind.
// - Otherwise the class name, else `_OTHER`.
//
// Upstream differs: instrumentation-http 0.223 records `error.name` (`Error` for every socket
// failure); instrumentation-undici 0.33 records `code || name` (so a TimeoutError's numeric
// DOMException code 23) and no error.type at all for an abort, which then looks like a success.
//
// Only the first two are this client's own knowledge; the rest is the order every @va package shares
// (@va/instrumentation-base).
import { errorTypeOf as commonErrorTypeOf } from '@va/instrumentation-base/diagnostics';

const ABORT_ERROR = 'AbortError';

/** Upper-case identifiers only: a code that is free text would be a cardinality leak. */
const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

export function errorTypeOf(error: unknown): string {
  return commonErrorTypeOf(error, requestErrorType);
}

function requestErrorType(error: object): string | undefined {
  const { code, name } = error as { code?: unknown; name?: unknown };
  if (name === ABORT_ERROR) return ABORT_ERROR;
  return typeof code === 'string' && ERROR_CODE.test(code) ? code : undefined;
}
