/**
 * `error.type` for a failed call, low-cardinality by construction:
 * - the HTTP status code (`429`, `503` …) for errors that carry one as a numeric `status`;
 * - otherwise the error's class name (`TypeError`, `ToolTimeoutError`), or a `DOMException`'s name
 *   (`AbortError`, `TimeoutError`);
 * - `_OTHER` when the thrown value is not an object, or names no class.
 * Never the message: it may hold arguments or user data.
 */
export function errorTypeOf(error: unknown): string {
  if (error === null || typeof error !== 'object') return '_OTHER';
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599)
    return String(status);
  const className = (error as object).constructor?.name;
  const name = (error as { name?: unknown }).name;
  // One class for every kind of web-platform error; its name is the kind (`AbortError`, `TimeoutError`).
  if (className === 'DOMException' && typeof name === 'string' && name !== '') return name;
  if (typeof className === 'string' && className !== '' && className !== 'Object') return className;
  // An anonymous class (`class extends Error {}`) still has the name of the error it extends.
  return typeof name === 'string' && name !== '' ? name : '_OTHER';
}
