import { execFileSync } from 'node:child_process';
import { type StartedServer, startOpenAICompatibleServer } from '@va/openai-compatible-server';
import {
  findPrometheus,
  findPromtool,
  type PrometheusServer,
  prometheusRequired,
  startPrometheus,
} from '@va/test-metrics/prometheus-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildApp, httpGet, startRegisteredApp } from './support/child-app.js';

const prometheusBinary = findPrometheus();
if (prometheusBinary === undefined && prometheusRequired) {
  throw new Error(
    'CI is set but no Prometheus binary was found (apt-get install -y prometheus, or PROMETHEUS_BIN): the end-to-end tests must not be skipped in CI.',
  );
}
if (prometheusBinary === undefined) {
  console.warn('prometheus-scrape.test.ts: skipped, no prometheus binary (apt-get install -y prometheus)');
}

describe.skipIf(prometheusBinary === undefined)(
  'a real Prometheus scraping an app under the register',
  () => {
    let app: ChildApp;
    let prometheus: PrometheusServer;
    let appUrl: string;

    beforeAll(async () => {
      let metricsPort: number;
      ({ app, appUrl, metricsPort } = await startRegisteredApp('http-pg-app.cjs'));
      prometheus = await startPrometheus(prometheusBinary!, { targets: [`127.0.0.1:${metricsPort}`] });
    });

    afterAll(async () => {
      await prometheus?.stop();
      await app?.stop('SIGKILL');
    });

    it('answers the p95 latency query with a number', async () => {
      const expression =
        'histogram_quantile(0.95, sum by (le) (rate(voice_agent_http_server_request_duration_seconds_bucket[1m])))';
      const deadline = Date.now() + 45_000;
      let result: Awaited<ReturnType<PrometheusServer['query']>> = [];
      while (Date.now() < deadline) {
        for (let index = 0; index < 5; index++) expect((await httpGet(`${appUrl}/hello`)).status).toBe(200);
        result = await prometheus.query(expression);
        if (result.length === 1 && Number.isFinite(Number(result[0]!.value[1]))) break;
        await new Promise((done) => setTimeout(done, 250));
      }
      expect(result).toHaveLength(1);
      const p95 = Number(result[0]!.value[1]);
      // Every request lands in the first buckets (a loopback hello world), so p95 is a small positive number.
      expect(p95).toBeGreaterThan(0);
      expect(p95).toBeLessThanOrEqual(10);

      const up = await prometheus.query('up{job="app"}');
      expect(up.map((sample) => sample.value[1])).toEqual(['1']);
      const scrapedSamples = await prometheus.query('scrape_samples_scraped{job="app"}');
      expect(Number(scrapedSamples[0]!.value[1])).toBeGreaterThan(0);
    });
  },
);

describe.skipIf(prometheusBinary === undefined)('a real Prometheus answering the LLM queries', () => {
  let llm: StartedServer;
  let app: ChildApp;
  let prometheus: PrometheusServer;
  let appUrl: string;
  let metricsPort: number;

  beforeAll(async () => {
    llm = await startOpenAICompatibleServer();
    ({ app, appUrl, metricsPort } = await startRegisteredApp('openai-traffic-app.cjs', {
      OPENAI_BASE_URL: llm.baseURL,
    }));
    prometheus = await startPrometheus(prometheusBinary!, { targets: [`127.0.0.1:${metricsPort}`] });
  });

  afterAll(async () => {
    await prometheus?.stop();
    await app?.stop('SIGKILL');
    await llm?.close();
  });

  it('answers p95 time to first chunk, p95 duration and cost per model; promtool accepts the exposition', async () => {
    const expressions = {
      ttfc: 'histogram_quantile(0.95, sum by (le, gen_ai_request_model) (rate(voice_agent_gen_ai_client_operation_time_to_first_chunk_seconds_bucket[1m])))',
      duration:
        'histogram_quantile(0.95, sum by (le, gen_ai_operation_name) (rate(voice_agent_gen_ai_client_operation_duration_seconds_bucket[1m])))',
      cost: 'sum by (gen_ai_request_model) (increase(voice_agent_gen_ai_client_cost_usd_total[1m]))',
      tokens: 'sum by (gen_ai_token_type) (rate(voice_agent_gen_ai_client_token_usage_sum[1m]))',
    };
    const results: Record<string, Awaited<ReturnType<PrometheusServer['query']>>> = {};
    const answered = () =>
      Object.keys(expressions).every((key) => {
        const result = results[key];
        return (
          result !== undefined && result.length > 0 && result.every((sample) => Number(sample.value[1]) > 0)
        );
      });
    const deadline = Date.now() + 45_000;
    while (Date.now() < deadline && !answered()) {
      for (let index = 0; index < 3; index++) expect((await httpGet(`${appUrl}/turn`)).status).toBe(200);
      for (const [key, expression] of Object.entries(expressions))
        results[key] = await prometheus.query(expression);
      await new Promise((done) => setTimeout(done, 250));
    }
    expect(results.ttfc!.map((sample) => sample.metric)).toEqual([{ gen_ai_request_model: 'gpt-4o-mini' }]);
    expect(results.duration!.map((sample) => sample.metric)).toEqual([{ gen_ai_operation_name: 'chat' }]);
    expect(results.cost!.map((sample) => sample.metric)).toEqual([{ gen_ai_request_model: 'gpt-4o-mini' }]);
    expect(results.tokens!.map((sample) => sample.metric.gen_ai_token_type).sort()).toEqual([
      'input',
      'output',
    ]);
    expect(answered()).toBe(true);

    const promtool = findPromtool();
    if (promtool !== undefined) {
      const exposition = (await httpGet(`http://127.0.0.1:${metricsPort}/metrics`)).body;
      expect(exposition).toContain('voice_agent_gen_ai_client_cost_usd_total');
      // Exits non-zero, and so throws, on any lint problem.
      execFileSync(promtool, ['check', 'metrics'], { input: exposition });
    } else if (prometheusRequired) {
      throw new Error('CI is set but promtool was not found (apt-get install -y prometheus)');
    }
  });
});
