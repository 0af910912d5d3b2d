import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';

/** Shared by every copy of this package: the register's HTTP client metrics read it. */
const TELEMETRY_AGENTS = Symbol.for('@va/otel-sdk.telemetry-agents');
type GlobalWithAgents = typeof globalThis & { [TELEMETRY_AGENTS]?: WeakSet<object> };

function agents(): WeakSet<object> {
  const global = globalThis as GlobalWithAgents;
  global[TELEMETRY_AGENTS] ??= new WeakSet();
  return global[TELEMETRY_AGENTS];
}

/**
 * The HTTP agent of our OTLP exporters (their `httpAgentOptions` factory), with the exporter's own
 * default options. Its requests are telemetry, not the application's traffic: the HTTP client
 * metrics leave them out. (Exports of an SDK of the application's run under OpenTelemetry's
 * suppressTracing context, which the client metrics honour too; ours may run with no context manager.)
 */
export function telemetryAgent(protocol: string): HttpAgent | HttpsAgent {
  const agent =
    protocol === 'https:' ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  agents().add(agent);
  return agent;
}

/** Whether `agent` sends telemetry of ours. */
export function isTelemetryAgent(agent: unknown): boolean {
  return typeof agent === 'object' && agent !== null && agents().has(agent);
}
