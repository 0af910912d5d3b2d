import { OpenRuns } from './open-runs.js';

/**
 * The outermost runs each LangGraph handler answers for, shared by every handler of this package.
 * A graph instrumented on its own and run inside another instrumented graph is seen by both
 * handlers; the inner one claims its graph's run, and the outer one leaves everything under that
 * run to it, so nothing is counted twice and the innermost agent wins, as with `invokeAgent`.
 */
const claims = new OpenRuns<object>(10_000);

export function claimRun(runId: string, handler: object): void {
  claims.add(runId, handler);
}

export function releaseRun(runId: string, handler: object): void {
  if (claims.get(runId) === handler) claims.take(runId);
}

/** True when another handler has claimed `runId`. */
export function claimedByAnother(runId: string, handler: object): boolean {
  const owner = claims.get(runId);
  return owner !== undefined && owner !== handler;
}
