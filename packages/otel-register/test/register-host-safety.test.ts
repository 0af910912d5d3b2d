import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type ChildApp, httpGet, startChildApp, startRegisteredApp } from './support/child-app.js';
import { freePort } from './support/free-port.js';
import { scrape } from './support/scrape.js';

/** The register must never break, block or outlive the app it instruments. */
describe('the register never breaks the host app', () => {
  let app: ChildApp | undefined;
  let blocker: Server | undefined;

  afterEach(async () => {
    await app?.stop('SIGKILL');
    app = undefined;
    await new Promise<void>((done) => (blocker ? blocker.close(() => done()) : done()));
    blocker = undefined;
  });

  const appUrlOf = (running: ChildApp): string =>
    `http://127.0.0.1:${/ready (\d+)/.exec(running.stdout())![1]}`;

  it('runs the app when the metrics port is taken, and warns once', async () => {
    const port = await freePort();
    blocker = createServer((_request, response) => response.end('someone else'));
    await new Promise<void>((done) => blocker!.listen(port, '127.0.0.1', () => done()));

    app = await startChildApp('http-pg-app.cjs', ['--require', '@va/otel-register'], {
      APP_PORT: '0',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(port),
    });
    const appUrl = appUrlOf(app);
    for (let index = 0; index < 3; index++)
      expect(await httpGet(`${appUrl}/hello`)).toEqual({ status: 200, body: 'hello' });
    expect(await httpGet(`http://127.0.0.1:${port}/metrics`)).toEqual({ status: 200, body: 'someone else' });
    const warnings = app
      .stderr()
      .split('\n')
      .filter((line) => line.includes(`127.0.0.1:${port}`));
    expect(warnings).toHaveLength(1);
  });

  it('lets an idle app exit on its own, with a push exporter configured too', async () => {
    const unusedPort = await freePort();
    app = await startChildApp('idle-app.cjs', ['--require', '@va/otel-register'], {
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: '0',
      OTEL_METRICS_EXPORTER: 'prometheus,otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${unusedPort}`,
      OTEL_EXPORTER_OTLP_TIMEOUT: '500',
      OTEL_LOG_LEVEL: 'none',
    });
    const started = Date.now();
    while (app.process.exitCode === null && Date.now() - started < 10_000) {
      await new Promise((done) => setTimeout(done, 50));
    }
    expect(app.process.exitCode).toBe(0);
  });

  it('leaves the exit to an app that handles SIGTERM itself', async () => {
    app = await startChildApp('signal-handling-app.cjs', ['--require', '@va/otel-register'], {
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: '0',
    });
    const ended = await app.stop('SIGTERM');
    expect(ended).toMatchObject({ code: 0, signal: null });
    expect(app.stdout()).toContain('app cleanup');
  });

  it('warns once per bad variable and runs on the defaults', async () => {
    const {
      app: started,
      appUrl,
      metricsPort,
    } = await startRegisteredApp('http-pg-app.cjs', {
      VA_PROMETHEUS_PREFIX: '9-not-a-prefix',
      VA_METRICS_CARDINALITY_LIMIT: 'lots',
      OTEL_METRIC_EXPORT_INTERVAL: '-1',
      OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'no-such-instrumentation',
    });
    app = started;
    expect((await httpGet(`${appUrl}/hello`)).status).toBe(200);
    const names = new Set((await scrape(metricsPort)).map((sample) => sample.name));
    expect(names).toContain('voice_agent_http_server_request_duration_seconds_count');
    const stderr = app.stderr();
    for (const variable of [
      'VA_PROMETHEUS_PREFIX',
      'VA_METRICS_CARDINALITY_LIMIT',
      'OTEL_METRIC_EXPORT_INTERVAL',
    ]) {
      expect(stderr.split(variable).length - 1, variable).toBe(1);
    }
    expect(stderr.split('no-such-instrumentation').length - 1).toBe(1);
  });

  it('does nothing at all with OTEL_SDK_DISABLED=true', async () => {
    const metricsPort = await freePort();
    app = await startChildApp('http-pg-app.cjs', ['--require', '@va/otel-register'], {
      APP_PORT: '0',
      OTEL_SDK_DISABLED: 'true',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
    });
    expect((await httpGet(`${appUrlOf(app)}/hello`)).status).toBe(200);
    await expect(fetch(`http://127.0.0.1:${metricsPort}/metrics`)).rejects.toThrow();
  });

  it('drops an instrumentation named in OTEL_NODE_DISABLED_INSTRUMENTATIONS', async () => {
    const {
      app: started,
      appUrl,
      metricsPort,
    } = await startRegisteredApp('http-pg-app.cjs', {
      OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'http,runtime-node',
    });
    app = started;
    expect((await httpGet(`${appUrl}/hello`)).status).toBe(200);
    const names = new Set((await scrape(metricsPort)).map((sample) => sample.name));
    expect(names).not.toContain('voice_agent_http_server_request_duration_seconds_count');
    expect(names).not.toContain('voice_agent_http_server_active_requests');
    expect(names).not.toContain('voice_agent_v8js_memory_heap_used_bytes');
    expect(names).toContain('voice_agent_process_cpu_time_seconds_total');
  });
});
