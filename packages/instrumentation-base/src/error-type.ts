/**
 * `error.type` of a failed operation (https://opentelemetry.io/docs/specs/semconv/registry/attributes/error/):
 * a low-cardinality identifier of the failure, never its message (it may hold arguments or user data).
 * In this order:
 * 1. what the caller's package knows about its own errors, from `wellKnown`: a SQLSTATE, a Node or
 *    undici error code, a cancellation;
 * 2. the HTTP status code (`429`, `503` …) of an error that carries one as a numeric `status`;
 * 3. a DOMException's name (`AbortError`, `TimeoutError`): its class is the same for every kind;
 * 4. the error's class name (`TypeError`, `APIConnectionError`), `Object` excepted: it names no kind;
 * 5. the name an anonymous class (`class extends Error {}`) inherits from the error it extends;
 * 6. `_OTHER` when the thrown value is not an object, or names nothing.
 */
export const OTHER_ERROR_TYPE = '_OTHER';

/** A package's own reading of an error; undefined when it has none and the common order goes on. */
export type WellKnownErrorType = (error: object) => string | undefined;

export function errorTypeOf(error: unknown, wellKnown?: WellKnownErrorType): string {
  if (error === null || typeof error !== 'object') return OTHER_ERROR_TYPE;
  const known = wellKnown?.(error);
  if (known !== undefined) return known;
  const { status, name } = error as { status?: unknown; name?: unknown };
  if (typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599)
    return String(status);
  const className = (error as { constructor?: { name?: unknown } }).constructor?.name;
  if (className === 'DOMException' && typeof name === 'string' && name !== '') return name;
  if (typeof className === 'string' && className !== '' && className !== 'Object') return className;
  return typeof name === 'string' && name !== '' ? name : OTHER_ERROR_TYPE;
}
