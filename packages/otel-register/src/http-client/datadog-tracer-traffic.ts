// The requests a Datadog tracer (dd-trace) sends to its agent are its telemetry, not the
// application's traffic. What dd-trace 5.132 and 6.21 put on the wire, endpoint by endpoint
// (captured with a fake agent, test/host-sdk/dd-trace.test.ts):
//
//   PUT  /v0.4/traces                 Datadog-Meta-Lang, Datadog-Meta-Tracer-Version (trace intake;
//                                     dd-trace's source sets them on span stats and data streams too)
//   POST /telemetry/proxy/api/v2/…    DD-Client-Library-Language, DD-Client-Library-Version
//   POST /v0.7/config                 nothing of its own (remote configuration, polled every 5 s)
//   POST /dogstatsd/v2/proxy          nothing of its own (DogStatsD metrics through the agent)
//   every one of the above            Datadog-Entity-ID, and Datadog-Container-ID in a container:
//                                     origin detection, sent whenever the tracer finds its cgroup,
//                                     which is on Linux only
//
// Those headers belong to the protocol between Datadog's tracers and their agent; an application's
// own requests do not carry them. The unmarked endpoints are recognised by their http.Agent:
// dd-trace sends everything through one Agent of its own (exporters/common/agents.js), so an Agent
// that carried a marked request carries the tracer's traffic, and the polls after it are the
// tracer's as well. A process with no cgroup and the tracer's telemetry off can have its first
// remote-configuration poll go out before any marked request: that one poll is counted.
//
// What keeps this from misfiring on the application: a request is read (getHeader), never changed;
// only an Agent that itself carried a marked request is remembered, and never the global agents,
// which are everyone's. An application would have to send Datadog's tracer headers through an
// Agent of its own and then its own requests through that same Agent to be left out.
import * as http from 'node:http';
import * as https from 'node:https';

/** The parts of node:http's ClientRequest this file reads. */
export interface OutgoingRequestHeaders {
  readonly agent?: unknown;
  getHeader(name: string): unknown;
}

/** Lower case: getHeader is case-insensitive. */
const TRACER_HEADERS = [
  'datadog-meta-tracer-version',
  'datadog-meta-lang',
  'dd-client-library-version',
  'datadog-entity-id',
  'datadog-container-id',
] as const;

/** Agents that carried a marked request; weak, so an Agent the tracer drops goes with it. */
const tracerAgents = new WeakSet<object>();

export function isDatadogTracerRequest(request: OutgoingRequestHeaders): boolean {
  const { agent } = request;
  const sharedAgent = typeof agent === 'object' && agent !== null && !isGlobalAgent(agent);
  if (sharedAgent && tracerAgents.has(agent)) return true;
  if (!TRACER_HEADERS.some((name) => request.getHeader(name) !== undefined)) return false;
  if (sharedAgent) tracerAgents.add(agent);
  return true;
}

/** Read at each call: an application (or a proxy library) may replace the global agents. */
function isGlobalAgent(agent: object): boolean {
  return agent === http.globalAgent || agent === https.globalAgent;
}
