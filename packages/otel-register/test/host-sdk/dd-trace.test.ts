// An application traced by Datadog's dd-trace (`--require dd-trace/init`, or `--import
// dd-trace/initialize.mjs`), installed as a user installs it, gets `--require @va/otel-register`
// (or `--import`) added before or after dd-trace. dd-trace must keep exactly the spans it had, and
// /metrics must count the application's traffic once and none of dd-trace's own requests to its
// agent (traces, telemetry, remote configuration). The agent is a fake on 127.0.0.1 that decodes
// the spans dd-trace sends it. dd-trace 6 needs Node ≥ 22 (on an older Node its init does nothing),
// so Node 20 runs the 5.x line, which supports Node 18 and later.
import { startOpenAICompatibleServer } from '@va/openai-compatible-server';
import { freePort } from '@va/test-metrics/free-port';
import { startPostgres, type TestPostgres } from '@va/test-metrics/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AgentRequest,
  type DatadogSpan,
  type FakeDatadogAgent,
  startFakeDatadogAgent,
} from './support/fake-datadog-agent.js';
import { errorLines, type HostRun, runHostApp, spanTreeShape } from './support/host-run.js';
import { type InstalledApp, installApp, packOurPackages } from './support/installed-app.js';
import { expectOnlyOurStartLine, expectOurCounts } from './support/register-metrics.js';

const NODE_MAJOR = Number(process.versions.node.split('.')[0]);
const DD_TRACE = NODE_MAJOR >= 22 ? { line: '6.x', version: '6.21.0' } : { line: '5.x', version: '5.132.0' };

const DEPENDENCIES = {
  'dd-trace': DD_TRACE.version,
  // Decodes the traces in the test process (support/fake-datadog-agent.ts loads it from the app).
  '@msgpack/msgpack': '3.1.3',
  express: '5.3.0',
  pg: '8.23.1',
  openai: '6.30.1',
};

const MODULE_SYSTEMS = [
  { kind: 'CommonJS', flag: '--require', ddTrace: 'dd-trace/init', entry: 'app.cjs' },
  { kind: 'ES modules', flag: '--import', ddTrace: 'dd-trace/initialize.mjs', entry: 'app.mjs' },
] as const;

const ORDERS = ['register first', 'dd-trace first'] as const;

/** dd-trace flushes every 50 ms here: this many ms without a trace payload means it sent them all. */
const TRACES_QUIET_MS = 500;

let tarballs: string[] = [];
let postgres: TestPostgres;
let openai: Awaited<ReturnType<typeof startOpenAICompatibleServer>>;
let app: InstalledApp;

beforeAll(async () => {
  tarballs = packOurPackages();
  app = installApp(`dd-trace-${DD_TRACE.line}`, DEPENDENCIES, tarballs);
  postgres = await startPostgres();
  openai = await startOpenAICompatibleServer();
}, 360_000);

afterAll(async () => {
  await openai?.close();
  await postgres?.stop();
});

interface DatadogRun extends HostRun {
  readonly datadogSpans: DatadogSpan[];
  /** What dd-trace had sent its agent when /metrics was scraped. */
  readonly agentRequestsBeforeScrape: AgentRequest[];
}

async function run(
  modules: (typeof MODULE_SYSTEMS)[number],
  order?: (typeof ORDERS)[number],
): Promise<DatadogRun> {
  const agent: FakeDatadogAgent = await startFakeDatadogAgent(app.directory);
  const metricsPort = order === undefined ? undefined : await freePort();
  const preloads =
    order === undefined
      ? [modules.flag, modules.ddTrace]
      : order === 'register first'
        ? [modules.flag, '@va/otel-register', modules.flag, modules.ddTrace]
        : [modules.flag, modules.ddTrace, modules.flag, '@va/otel-register'];
  let agentRequestsBeforeScrape: AgentRequest[] = [];
  try {
    const result = await runHostApp({
      directory: app.directory,
      nodeArguments: preloads,
      entry: modules.entry,
      metricsPort,
      environment: {
        DATABASE_URL: postgres.url,
        OPENAI_BASE_URL: openai.baseURL,
        DD_TRACE_AGENT_URL: agent.url,
        DD_TRACE_FLUSH_INTERVAL: '50',
        ...(metricsPort !== undefined && { OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort) }),
      },
      // Every span of the traffic reaches the agent before the scrape, so dd-trace's trace exports
      // have all been sent (and would all be on /metrics if they were counted).
      afterReady: async () => {
        await agent.tracesSettled(TRACES_QUIET_MS, 10_000);
        agentRequestsBeforeScrape = agent.requests();
      },
    });
    return { ...result, datadogSpans: agent.spans(), agentRequestsBeforeScrape };
  } finally {
    await agent.close();
  }
}

/**
 * What a dd-trace span is, without its ids: name, resource, type, kind and the integration. Ports
 * are ids too (the app's server listens on a free one, and a `tcp.connect` span's resource names it).
 */
function datadogShape(spans: readonly DatadogSpan[]): string[] {
  return spanTreeShape(spans, (span) => {
    const resource = span.resource.replace(/:\d{1,5}\b/g, ':<port>');
    return `${span.name} ${resource} type=${span.type} kind=${span.kind} component=${span.component}`;
  });
}

/**
 * The lines of `run`'s stderr that the run without the register did not have: nothing may be added.
 * dd-trace's startup log lines (6.x) carry a date and ids, so they are compared by their title.
 */
function addedStderrLines(run: HostRun, baseline: HostRun): string[] {
  const normalise = (stderr: string): string[] =>
    stderr
      .split('\n')
      .filter((line) => line !== '')
      .map((line) =>
        line.replace(/^\(node:\d+\)/, '(node:<pid>)').replace(/^(DATADOG TRACER [A-Z ]+) - .*/, '$1'),
      );
  const before = normalise(baseline.stderr);
  return normalise(run.stderr).filter((line) => {
    const index = before.indexOf(line);
    if (index === -1) return true;
    before.splice(index, 1);
    return false;
  });
}

/** Each kind of request dd-trace sent its agent, as `METHOD /path`, once. */
function endpoints(requests: readonly AgentRequest[]): string[] {
  return [...new Set(requests.map((request) => `${request.method} ${request.path}`))].sort();
}

describe(`dd-trace ${DD_TRACE.version} (the ${DD_TRACE.line} line on Node ${NODE_MAJOR})`, () => {
  for (const modules of MODULE_SYSTEMS) {
    describe(modules.kind, () => {
      let baseline: DatadogRun;
      beforeAll(async () => {
        baseline = await run(modules);
      }, 60_000);

      it('the app without the register: its spans (what the runs below must keep)', () => {
        expect(baseline.exitSignal).toBe('SIGTERM');
        expect(errorLines(baseline.stderr)).toEqual([]);
        expect(baseline.summary.queries).toBe(3);
        // One SERVER span per request the app served, under the CLIENT span of the call that sent it.
        const servers = baseline.datadogSpans.filter((span) => span.kind === 'server');
        expect(servers).toHaveLength(baseline.summary.serverRequests!);
        const byId = new Map(baseline.datadogSpans.map((span) => [span.spanId, span]));
        expect(servers.map((span) => byId.get(span.parentSpanId ?? '')?.kind)).toEqual(
          servers.map(() => 'client'),
        );
        // The traffic's spans: express, router, http, fetch, pg, openai, dns and net integrations.
        const integrations = new Set(baseline.datadogSpans.map((span) => span.component));
        expect([...integrations].sort()).toEqual([
          'dns',
          'express',
          'fetch',
          'http',
          'net',
          'openai',
          'pg',
          'router',
        ]);
        expect(baseline.datadogSpans.filter((span) => span.name === 'pg.query')).toHaveLength(
          baseline.summary.queries! + baseline.summary.failedQueries!,
        );
      });

      for (const order of ORDERS) {
        it(`${order}: the same spans, every event once on /metrics and none of dd-trace's agent traffic, no errors`, async () => {
          const result = await run(modules, order);
          expect(result.exitSignal).toBe('SIGTERM');
          expect(errorLines(result.stderr)).toEqual([]);
          expect(addedStderrLines(result, baseline)).toEqual([]);
          expectOnlyOurStartLine(result);

          expect(datadogShape(result.datadogSpans)).toEqual(datadogShape(baseline.datadogSpans));

          // dd-trace had sent traces, telemetry and a remote-configuration poll through node:http
          // by the scrape: the client count below leaves every one of them out.
          expect(endpoints(result.agentRequestsBeforeScrape)).toEqual(
            expect.arrayContaining([
              'POST /telemetry/proxy/api/v2/apmtelemetry',
              'POST /v0.7/config',
              'PUT /v0.4/traces',
            ]),
          );
          expectOurCounts(result);
        }, 60_000);
      }
    });
  }
});
