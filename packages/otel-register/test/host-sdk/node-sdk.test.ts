// An application that already runs OpenTelemetry tracing with NodeSDK and the auto-instrumentations,
// installed as a user installs it (our packages from `npm pack` tarballs, the rest from the registry),
// gets `--require @va/otel-register` (or `--import`) added before or after its own setup. It must keep
// exactly the spans it had, count every event once on /metrics and once in its own OTLP metrics
// pipeline, and see no errors. On the 2.x line (Node 20 and later) and the 3.x line (Node ≥ 22.15).
import { startOpenAICompatibleServer } from '@va/openai-compatible-server';
import { freePort } from '@va/test-metrics/free-port';
import { startPostgres, type TestPostgres } from '@va/test-metrics/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorLines, type HostRun, runHostApp, spanShape } from './support/host-run.js';
import { type InstalledApp, installApp, packOurPackages } from './support/installed-app.js';
import { type OtlpReceiver, startOtlpReceiver } from './support/otlp-receiver.js';
import { expectMajorGcs, expectOnlyOurStartLine, expectOurCounts } from './support/register-metrics.js';

const COMMON_DEPENDENCIES = {
  express: '5.3.0',
  pg: '8.23.1',
  openai: '6.30.1',
  'import-in-the-middle': '3.6.0',
};

const LINES = [
  {
    line: '2.x',
    runsOnThisNode: true,
    dependencies: {
      '@opentelemetry/api': '1.9.1',
      '@opentelemetry/sdk-node': '0.223.0',
      '@opentelemetry/auto-instrumentations-node': '0.81.2',
      '@opentelemetry/sdk-metrics': '2.12.1',
      '@opentelemetry/exporter-metrics-otlp-http': '0.223.0',
    },
  },
  {
    line: '3.x',
    // sdk-node 0.30x needs Node ≥ 22.15.
    runsOnThisNode: versionAtLeast(process.versions.node, [22, 15]),
    dependencies: {
      '@opentelemetry/api': '1.10.0',
      '@opentelemetry/sdk-node': '0.301.2',
      '@opentelemetry/auto-instrumentations-node': '0.82.0',
      '@opentelemetry/sdk-metrics': '3.1.1',
      '@opentelemetry/exporter-metrics-otlp-http': '0.301.2',
    },
  },
] as const;

function versionAtLeast(version: string, [major, minor]: [number, number]): boolean {
  const [actualMajor = 0, actualMinor = 0] = version.split('.').map(Number);
  return actualMajor > major || (actualMajor === major && actualMinor >= minor);
}

const MODULE_SYSTEMS = [
  {
    kind: 'CommonJS',
    flag: '--require',
    tracing: './tracing.cjs',
    libraryMode: './tracing-library.cjs',
    entry: 'app.cjs',
  },
  {
    kind: 'ES modules',
    flag: '--import',
    tracing: './tracing.mjs',
    libraryMode: './tracing-library.mjs',
    entry: 'app.mjs',
  },
] as const;

const ORDERS = ['register first', 'tracing first'] as const;
const THEIR_METRICS = ['their metrics on OTLP', 'their metrics off'] as const;

let tarballs: string[] = [];
let postgres: TestPostgres;
let openai: Awaited<ReturnType<typeof startOpenAICompatibleServer>>;

beforeAll(async () => {
  tarballs = packOurPackages();
  postgres = await startPostgres();
  openai = await startOpenAICompatibleServer();
}, 180_000);

afterAll(async () => {
  await openai?.close();
  await postgres?.stop();
});

interface Scenario {
  readonly app: InstalledApp;
  readonly flag: string;
  readonly tracing: string;
  readonly entry: string;
  /** Undefined: the app alone; `library mode`: @va passed into its NodeSDK, no register. */
  readonly order?: (typeof ORDERS)[number] | 'library mode';
  readonly theirMetrics: (typeof THEIR_METRICS)[number];
}

async function run(scenario: Scenario): Promise<HostRun & { otlp: OtlpReceiver }> {
  const otlp = await startOtlpReceiver();
  const metricsPort = scenario.order === undefined ? undefined : await freePort();
  const preloads =
    scenario.order === undefined || scenario.order === 'library mode'
      ? [scenario.flag, scenario.tracing]
      : scenario.order === 'register first'
        ? [scenario.flag, '@va/otel-register', scenario.flag, scenario.tracing]
        : [scenario.flag, scenario.tracing, scenario.flag, '@va/otel-register'];
  try {
    const result = await runHostApp({
      directory: scenario.app.directory,
      nodeArguments: preloads,
      entry: scenario.entry,
      metricsPort,
      environment: {
        DATABASE_URL: postgres.url,
        OPENAI_BASE_URL: openai.baseURL,
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: otlp.url,
        OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/json',
        OTEL_METRIC_EXPORT_INTERVAL: '1000',
        OTEL_LOGS_EXPORTER: 'none',
        ...(metricsPort !== undefined && { OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort) }),
        // NodeSDK's metrics off, ours kept: both read OTEL_METRICS_EXPORTER, ours reads VA_METRICS_EXPORTER first.
        ...(scenario.theirMetrics === 'their metrics off' && {
          OTEL_METRICS_EXPORTER: 'none',
          VA_METRICS_EXPORTER: 'prometheus',
        }),
      },
    });
    return { ...result, otlp };
  } finally {
    await otlp.close();
  }
}

/**
 * Exactly once in the NodeSDK's own OTLP pipeline: the upstream instrumentations' own metrics, or in
 * library mode ours in their place.
 */
function expectTheirPipelineCounts(
  result: HostRun & { otlp: OtlpReceiver },
  recordedBy: 'upstream' | 'va' = 'upstream',
): void {
  const { summary, otlp } = result;
  expect(otlp.exports()).toBeGreaterThan(0);
  expect(otlp.total('http.server.request.duration')).toBe(summary.serverRequests);
  // Upstream instrumentation-http counts the OTLP exporter's own pushes to the receiver (metrics are
  // not suppressed with tracing there): that is their pipeline's business, left out here.
  const receiverPort = Number(new URL(otlp.url).port);
  const applicationClientCalls = otlp
    .points('http.client.request.duration')
    .filter((point) => point.attributes['server.port'] !== receiverPort)
    .reduce((sum, point) => sum + point.value, 0);
  expect(applicationClientCalls, JSON.stringify(otlp.points('http.client.request.duration'))).toBe(
    summary.fetches! + summary.gets!,
  );
  expect(otlp.total('db.client.operation.duration')).toBe(summary.queries! + summary.failedQueries!);
  expectMajorGcs(otlp.total('v8js.gc.duration', { 'v8js.gc.type': 'major' }), summary);
  if (recordedBy === 'upstream') {
    // Nothing of ours in their pipeline: @va's instruments record into @va's MeterProvider.
    expect(otlp.scopesOf('http.server.request.duration')).not.toContain('@va/otel-register');
  } else {
    // Ours replace upstream's metrics of the same names, in every reader of their MeterProvider.
    expect(otlp.scopesOf('http.server.request.duration')).toEqual(['@va/otel-register']);
    expect(otlp.total('gen_ai.invoke_agent.duration')).toBe(result.summary.agentInvocations);
  }
}

for (const { line, runsOnThisNode, dependencies } of LINES) {
  describe.skipIf(!runsOnThisNode)(`NodeSDK on the ${line} line`, () => {
    let app: InstalledApp;
    beforeAll(() => {
      app = installApp(`node-sdk-${line}`, { ...COMMON_DEPENDENCIES, ...dependencies }, tarballs);
    }, 360_000);

    for (const modules of MODULE_SYSTEMS) {
      describe(modules.kind, () => {
        let baseline: HostRun & { otlp: OtlpReceiver };
        beforeAll(async () => {
          baseline = await run({ app, ...modules, theirMetrics: 'their metrics on OTLP' });
        }, 60_000);

        it('the app without the register: its spans and its OTLP counts (what the runs below must keep)', () => {
          expect(baseline.exitCode).toBe(0);
          expect(baseline.summary.majorGcs).toBeGreaterThanOrEqual(baseline.summary.forcedMajorGcs!);
          expect(baseline.summary.queries).toBe(3);
          const kinds = baseline.spans.map((span) => span.kind);
          // SERVER spans (kind 1) of the app's routes, CLIENT spans (kind 2) of fetch, http.get and pg.
          expect(kinds.filter((kind) => kind === 1)).toHaveLength(baseline.summary.serverRequests!);
          expect(baseline.spans.filter((span) => span.kind === 1 && span.parentSpanId === undefined)).toEqual(
            [],
          );
          expectTheirPipelineCounts(baseline);
        });

        for (const order of ORDERS) {
          for (const theirMetrics of THEIR_METRICS) {
            it(`${order}, ${theirMetrics}: the same spans, every event once on /metrics${theirMetrics === 'their metrics on OTLP' ? ' and in their OTLP' : ''}, no errors`, async () => {
              const result = await run({ app, ...modules, order, theirMetrics });
              expect(result.exitCode).toBe(0);
              expect(errorLines(result.stderr)).toEqual([]);
              expectOnlyOurStartLine(result);

              expect(spanShape(result.spans)).toEqual(spanShape(baseline.spans));

              expectOurCounts(result);

              if (theirMetrics === 'their metrics on OTLP') expectTheirPipelineCounts(result);
              else expect(result.otlp.exports()).toBe(0);
            }, 60_000);
          }
        }

        it('library mode (our reader, views and instrumentations in their NodeSDK): the same spans, every event once on /metrics and in their OTLP, no errors', async () => {
          const result = await run({
            app,
            ...modules,
            tracing: modules.libraryMode,
            order: 'library mode',
            theirMetrics: 'their metrics on OTLP',
          });
          expect(result.exitCode).toBe(0);
          expect(errorLines(result.stderr)).toEqual([]);
          expect(spanShape(result.spans)).toEqual(spanShape(baseline.spans));
          expectOurCounts(result);
          expectTheirPipelineCounts(result, 'va');
        }, 60_000);
      });
    }
  });
}
