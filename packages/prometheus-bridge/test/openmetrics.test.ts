// OpenMetrics text 1.0.0: what the bridge writes when a scraper asks for it (Prometheus does), checked
// line by line and by the reference parser (Python's prometheus_client); and the negotiation on the wire.
import { createServer, type Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import {
  OPENMETRICS_CONTENT_TYPE,
  PROMETHEUS_CONTENT_TYPE,
  type SerializeOptions,
  serialize,
} from '../src/index.js';
import { close, listen, request, type Setup, setup } from './helpers.js';
import { findOpenMetricsParser, parseOpenMetrics } from './support/openmetrics-parser.js';

const OPENMETRICS: SerializeOptions = { prefix: 'voice_agent', format: 'openmetrics' };
const PROMETHEUS_ACCEPT =
  'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

const python = findOpenMetricsParser();
const parserRequired = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
if (python === undefined && !parserRequired)
  console.warn(
    'openmetrics.test.ts: the prometheus_client parser checks are skipped (apt-get install python3-prometheus-client)',
  );

async function collect({ bridge }: Setup): Promise<ResourceMetrics> {
  const { resourceMetrics, errors } = await bridge.collect();
  expect(errors).toEqual([]);
  return resourceMetrics;
}

const running: Array<{ s: Setup; server: Server }> = [];
afterEach(async () => {
  for (const { s, server } of running.splice(0)) {
    await close(server);
    await s.provider.shutdown();
  }
});

/** One of each instrument kind, with units, descriptions to escape and awkward label values. */
function everyKind(): Setup {
  const s = setup(
    { cardinalitySelector: () => 4 },
    { resource: resourceFromAttributes({ 'service.name': 'voice-agent', 'service.version': '1.0.0' }) },
  );
  const meter = s.provider.getMeter('@va/test', '0.1.0');
  const labels = { 'http.route': '/say/"hi"\\now\nnext', 'user.locale': 'zh-语' };
  meter.createCounter('process.cpu.time', { unit: 's', description: 'CPU "time" \\ used.\nTotal.' }).add(1.5);
  meter.createCounter('http.server.requests', { description: 'Requests served.' }).add(3, labels);
  meter.createUpDownCounter('voice.session.active', { description: 'Open sessions.' }).add(2, labels);
  meter
    .createObservableGauge('process.cpu.utilization', { unit: '1', description: 'CPU share.' })
    .addCallback((result) => result.observe(0.25, labels));
  const histogram = meter.createHistogram('http.server.request.duration', {
    unit: 's',
    description: 'Duration of HTTP server requests.',
    advice: { explicitBucketBoundaries: [0.1, 1] },
  });
  for (const value of [0.05, 0.5, 3]) histogram.record(value, labels);
  const tokens = meter.createHistogram('gen_ai.client.token.usage', {
    unit: '{token}',
    advice: { explicitBucketBoundaries: [1, 1_048_576] },
  });
  for (const model of ['a', 'b', 'c', 'd', 'e']) tokens.record(100, { 'gen_ai.request.model': model });
  return s;
}

describe('serialize, format openmetrics', () => {
  it('writes OpenMetrics metadata: info target, counter families without _total, UNIT, escaped HELP, # EOF', async () => {
    const s = everyKind();
    expect(serialize(await collect(s), { ...OPENMETRICS, withScopeLabels: false }).split('\n')).toEqual([
      '# TYPE target info',
      '# HELP target Target metadata',
      'target_info{service_name="voice-agent",service_version="1.0.0"} 1',
      '# TYPE voice_agent_process_cpu_time_seconds counter',
      '# HELP voice_agent_process_cpu_time_seconds CPU \\"time\\" \\\\ used.\\nTotal.',
      '# UNIT voice_agent_process_cpu_time_seconds seconds',
      'voice_agent_process_cpu_time_seconds_total 1.5',
      '# TYPE voice_agent_http_server_requests counter',
      '# HELP voice_agent_http_server_requests Requests served.',
      'voice_agent_http_server_requests_total{http_route="/say/\\"hi\\"\\\\now\\nnext",user_locale="zh-语"} 3',
      '# TYPE voice_agent_voice_session_active gauge',
      '# HELP voice_agent_voice_session_active Open sessions.',
      'voice_agent_voice_session_active{http_route="/say/\\"hi\\"\\\\now\\nnext",user_locale="zh-语"} 2',
      '# TYPE voice_agent_process_cpu_utilization_ratio gauge',
      '# HELP voice_agent_process_cpu_utilization_ratio CPU share.',
      '# UNIT voice_agent_process_cpu_utilization_ratio ratio',
      'voice_agent_process_cpu_utilization_ratio{http_route="/say/\\"hi\\"\\\\now\\nnext",user_locale="zh-语"} 0.25',
      '# TYPE voice_agent_http_server_request_duration_seconds histogram',
      '# HELP voice_agent_http_server_request_duration_seconds Duration of HTTP server requests.',
      '# UNIT voice_agent_http_server_request_duration_seconds seconds',
      'voice_agent_http_server_request_duration_seconds_bucket{http_route="/say/\\"hi\\"\\\\now\\nnext",user_locale="zh-语",le="0.1"} 1',
      'voice_agent_http_server_request_duration_seconds_bucket{http_route="/say/\\"hi\\"\\\\now\\nnext",user_locale="zh-语",le="1"} 2',
      'voice_agent_http_server_request_duration_seconds_bucket{http_route="/say/\\"hi\\"\\\\now\\nnext",user_locale="zh-语",le="+Inf"} 3',
      'voice_agent_http_server_request_duration_seconds_sum{http_route="/say/\\"hi\\"\\\\now\\nnext",user_locale="zh-语"} 3.55',
      'voice_agent_http_server_request_duration_seconds_count{http_route="/say/\\"hi\\"\\\\now\\nnext",user_locale="zh-语"} 3',
      '# TYPE voice_agent_gen_ai_client_token_usage histogram',
      ...['a', 'b', 'c'].flatMap((model) => [
        `voice_agent_gen_ai_client_token_usage_bucket{gen_ai_request_model="${model}",le="1"} 0`,
        `voice_agent_gen_ai_client_token_usage_bucket{gen_ai_request_model="${model}",le="1048576"} 1`,
        `voice_agent_gen_ai_client_token_usage_bucket{gen_ai_request_model="${model}",le="+Inf"} 1`,
        `voice_agent_gen_ai_client_token_usage_sum{gen_ai_request_model="${model}"} 100`,
        `voice_agent_gen_ai_client_token_usage_count{gen_ai_request_model="${model}"} 1`,
      ]),
      'voice_agent_gen_ai_client_token_usage_bucket{otel_metric_overflow="true",le="1"} 0',
      'voice_agent_gen_ai_client_token_usage_bucket{otel_metric_overflow="true",le="1048576"} 2',
      'voice_agent_gen_ai_client_token_usage_bucket{otel_metric_overflow="true",le="+Inf"} 2',
      'voice_agent_gen_ai_client_token_usage_sum{otel_metric_overflow="true"} 200',
      'voice_agent_gen_ai_client_token_usage_count{otel_metric_overflow="true"} 2',
      '# EOF',
      '',
    ]);
  });

  it('writes the same samples as text 0.0.4, and only metadata lines differ', async () => {
    const s = everyKind();
    const resourceMetrics = await collect(s);
    const samples = (text: string): string[] => text.split('\n').filter((line) => !line.startsWith('#'));
    expect(samples(serialize(resourceMetrics, OPENMETRICS))).toEqual(
      samples(serialize(resourceMetrics, { prefix: 'voice_agent' })),
    );
  });

  it('drops a gauge named as a counter family (x beside x_total), which OpenMetrics cannot tell apart', async () => {
    const s = setup();
    const meter = s.provider.getMeter('test');
    meter.createCounter('jobs').add(1);
    meter.createGauge('jobs').record(5); // a second instrument of the same name, another kind
    meter.createGauge('queue').record(2);
    meter.createCounter('queue').add(4);
    const resourceMetrics = await collect(s);
    const bare = { prefix: 'app', withScopeLabels: false, withTargetInfo: false } as const;
    // text 0.0.4 keeps both of each pair; OpenMetrics keeps the first of each
    expect(serialize(resourceMetrics, bare)).toContain('app_jobs 5');
    expect(serialize(resourceMetrics, { ...bare, format: 'openmetrics' }).split('\n')).toEqual([
      '# TYPE app_jobs counter',
      'app_jobs_total 1',
      '# TYPE app_queue gauge',
      'app_queue 2',
      '# EOF',
      '',
    ]);
  });

  it.runIf(python !== undefined || parserRequired)(
    'is read by the reference parser (prometheus_client) as the families and samples written',
    async () => {
      if (python === undefined)
        throw new Error('CI must not skip this test: apt-get install python3-prometheus-client');
      const s = everyKind();
      const [parsed] = parseOpenMetrics(python, [serialize(await collect(s), OPENMETRICS)]);
      if (parsed === undefined || 'error' in parsed) throw new Error(JSON.stringify(parsed));
      const families = parsed.families.map(({ name, type, unit, help, samples }) => ({
        name,
        type,
        unit,
        help,
        samples: samples.length,
      }));
      expect(families).toEqual([
        { name: 'target', type: 'info', unit: '', help: 'Target metadata', samples: 1 },
        {
          name: 'voice_agent_process_cpu_time_seconds',
          type: 'counter',
          unit: 'seconds',
          help: 'CPU "time" \\ used.\nTotal.',
          samples: 1,
        },
        {
          name: 'voice_agent_http_server_requests',
          type: 'counter',
          unit: '',
          help: 'Requests served.',
          samples: 1,
        },
        {
          name: 'voice_agent_voice_session_active',
          type: 'gauge',
          unit: '',
          help: 'Open sessions.',
          samples: 1,
        },
        {
          name: 'voice_agent_process_cpu_utilization_ratio',
          type: 'gauge',
          unit: 'ratio',
          help: 'CPU share.',
          samples: 1,
        },
        {
          name: 'voice_agent_http_server_request_duration_seconds',
          type: 'histogram',
          unit: 'seconds',
          help: 'Duration of HTTP server requests.',
          samples: 5,
        },
        { name: 'voice_agent_gen_ai_client_token_usage', type: 'histogram', unit: '', help: '', samples: 20 },
      ]);
      const requests = parsed.families[2]?.samples[0];
      expect(requests).toEqual({
        name: 'voice_agent_http_server_requests_total',
        labels: {
          http_route: '/say/"hi"\\now\nnext',
          user_locale: 'zh-语',
          otel_scope_name: '@va/test',
          otel_scope_version: '0.1.0',
        },
        value: '3.0',
      });
    },
  );
});

describe('the metrics endpoint negotiates the format', () => {
  async function served(accept: string | undefined, gzip = false) {
    const s = everyKind();
    // the handler users mount, which the standalone server serves too
    const server = createServer(s.bridge.getMetricsRequestHandler());
    running.push({ s, server });
    const port = await listen(server);
    const headers: Record<string, string> = {};
    if (accept !== undefined) headers.accept = accept;
    if (gzip) headers['accept-encoding'] = 'gzip';
    const response = await request(port, '/metrics', { headers });
    const body = gzip ? gunzipSync(response.body) : response.body;
    return { response, text: body.toString('utf8') };
  }

  it("answers Prometheus' Accept header with OpenMetrics 1.0.0, gzipped when asked", async () => {
    for (const gzip of [false, true]) {
      const { response, text } = await served(PROMETHEUS_ACCEPT, gzip);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe(OPENMETRICS_CONTENT_TYPE);
      expect(response.headers['content-encoding']).toBe(gzip ? 'gzip' : undefined);
      expect(response.headers.vary).toBe('Accept, Accept-Encoding');
      expect(text.startsWith('# TYPE target info\n')).toBe(true);
      expect(text.endsWith('\n# EOF\n')).toBe(true);
    }
  });

  it('answers text 0.0.4 without an Accept header, and to */* (curl, browsers)', async () => {
    for (const accept of [undefined, '*/*', 'text/html,*/*;q=0.8', 'no such thing']) {
      const { response, text } = await served(accept);
      expect(response.headers['content-type'], String(accept)).toBe(PROMETHEUS_CONTENT_TYPE);
      expect(text.startsWith('# HELP target_info Target metadata\n')).toBe(true);
      expect(text).not.toContain('# EOF');
    }
  });
});
