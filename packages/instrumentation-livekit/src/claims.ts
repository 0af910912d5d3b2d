/**
 * The sessions already instrumented, shared by every copy of this package (CommonJS and ESM, an explicit
 * call and, later, the register's hook): exactly one of them may count a session.
 */
const CLAIMS_KEY = Symbol.for('@va/instrumentation-livekit.session-claims');
const globalSlot = globalThis as { [CLAIMS_KEY]?: WeakSet<object> };
globalSlot[CLAIMS_KEY] ??= new WeakSet<object>();
const claimed = globalSlot[CLAIMS_KEY];

/** True for the first caller with this session (it measures it), false for every later one. */
export function claimSession(session: object): boolean {
  if (claimed.has(session)) return false;
  claimed.add(session);
  return true;
}
