/**
 * `error.type` for a failed query (https://opentelemetry.io/docs/specs/semconv/attributes-registry/error/):
 * the SQLSTATE the server answered with (`42P01`), so a dashboard can tell a missing table from a
 * deadlock; otherwise the error's class name (`Error`, `TypeError`); otherwise `_OTHER`.
 */
const SQLSTATE = /^[0-9A-Z]{5}$/;

export const OTHER_ERROR = '_OTHER';

export function errorTypeOf(error: unknown): string {
  if (typeof error !== 'object' || error === null) return OTHER_ERROR;
  const { code, syscall } = error as { code?: unknown; syscall?: unknown };
  // Node's own socket errors carry a `code` too, and some are five letters (EPIPE, EBADF); they
  // are told apart by the `syscall` that failed, which a server's error never has.
  if (typeof code === 'string' && SQLSTATE.test(code) && syscall === undefined) return code;
  const name = (error as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' && name !== '' ? name : OTHER_ERROR;
}
