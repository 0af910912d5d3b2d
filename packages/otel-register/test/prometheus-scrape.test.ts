import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildApp, httpGet, startRegisteredApp } from './support/child-app.js';
import {
  findPrometheus,
  type PrometheusServer,
  prometheusRequired,
  startPrometheus,
} from './support/prometheus-server.js';

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
      prometheus = await startPrometheus(prometheusBinary!, [`127.0.0.1:${metricsPort}`]);
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
