/**
 * The Realtime connections already measured, shared by every copy of this package: the module patch, an
 * `instrumentOpenAI(connection)` call and the `@openai/agents-realtime` transport patch may all meet one
 * connection, and exactly one of them may count it.
 */
const CLAIMS_KEY = Symbol.for('@va/instrumentation-openai.realtime-claims');
const globalSlot = globalThis as { [CLAIMS_KEY]?: WeakSet<object> };
globalSlot[CLAIMS_KEY] ??= new WeakSet<object>();
const claimed = globalSlot[CLAIMS_KEY];

/** True for the first caller with this connection (it measures it), false for every later one. */
export function claimConnection(connection: object): boolean {
  if (claimed.has(connection)) return false;
  claimed.add(connection);
  return true;
}
