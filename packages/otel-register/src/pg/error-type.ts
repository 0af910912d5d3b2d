import { errorTypeOf as commonErrorTypeOf } from '@va/instrumentation-base';

/**
 * `error.type` for a failed query: the SQLSTATE the server answered with (`42P01`), so a dashboard can
 * tell a missing table from a deadlock; otherwise the order every @va package shares
 * (@va/instrumentation-base): the error's class name (`Error`, `TypeError`), else `_OTHER`.
 */
const SQLSTATE = /^[0-9A-Z]{5}$/;

export function errorTypeOf(error: unknown): string {
  return commonErrorTypeOf(error, sqlStateOf);
}

function sqlStateOf(error: object): string | undefined {
  const { code, syscall } = error as { code?: unknown; syscall?: unknown };
  // Node's own socket errors carry a `code` too, and some are five letters (EPIPE, EBADF); they
  // are told apart by the `syscall` that failed, which a server's error never has.
  return typeof code === 'string' && SQLSTATE.test(code) && syscall === undefined ? code : undefined;
}
