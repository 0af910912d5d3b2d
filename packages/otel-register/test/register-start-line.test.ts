import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type ChildApp, httpGet, startChildApp } from './support/child-app.js';
import { freePort } from './support/free-port.js';

const INSTRUMENTATIONS =
  'http, undici, pg, express, fastify, openai, anthropic, ai, google-genai, livekit, runtime-node, process';

let app: ChildApp | undefined;
let occupier: Server | undefined;

afterEach(async () => {
  await app?.stop('SIGKILL');
  app = undefined;
  await new Promise<void>((resolve) => (occupier ? occupier.close(() => resolve()) : resolve()));
  occupier = undefined;
});

/** Starts the app under `--require` at info level and waits for our one start line. */
async function startLineOf(environment: Record<string, string>): Promise<string[]> {
  app = await startChildApp('routed-node-app.cjs', ['--require', '@va/otel-register'], {
    APP_PORT: '0',
    OTEL_LOG_LEVEL: 'info',
    ...environment,
  });
  const deadline = Date.now() + 5_000;
  while (!app.stdout().includes('@va/otel-register') && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return app
    .stdout()
    .split('\n')
    .filter((line) => line.includes('@va/otel-register'));
}

describe('the start line of node --require @va/otel-register', () => {
  // A given host is resolved before the server binds, so the bind is still under way when the line
  // is due; every interface binds at once.
  it.each(['127.0.0.1', '0.0.0.0'])(
    'OTEL_EXPORTER_PROMETHEUS_PORT=0 on %s: the line shows the port bound, the one that answers /metrics',
    async (host) => {
      const lines = await startLineOf({
        OTEL_EXPORTER_PROMETHEUS_HOST: host,
        OTEL_EXPORTER_PROMETHEUS_PORT: '0',
      });
      expect(lines).toHaveLength(1);
      const port = Number(
        /^@va\/otel-register metrics: prometheus on http:\/\/[^:]+:(\d+)\/metrics;/.exec(lines[0] ?? '')?.[1],
      );
      expect(port).toBeGreaterThan(0);
      expect(lines[0]).toBe(
        `@va/otel-register metrics: prometheus on http://${host}:${port}/metrics; instrumentations: ${INSTRUMENTATIONS}; global MeterProvider: ours`,
      );
      const scrape = await httpGet(`http://127.0.0.1:${port}/metrics`);
      expect(scrape.status).toBe(200);
      expect(scrape.body).toContain('target_info{');
      expect(app?.stderr()).toBe('');
    },
  );

  it('a port taken: the line says the server is not listening, after the one warning', async () => {
    const port = await freePort();
    occupier = createServer();
    await new Promise<void>((resolve) => occupier?.listen(port, '127.0.0.1', resolve));
    const lines = await startLineOf({
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(port),
    });
    expect(lines).toEqual([
      `@va/otel-register metrics: prometheus on http://127.0.0.1:${port}/metrics (not listening); instrumentations: ${INSTRUMENTATIONS}; global MeterProvider: ours`,
    ]);
    const warnings = app
      ?.stderr()
      .split('\n')
      .filter((line) => line.includes('could not start'));
    expect(warnings).toHaveLength(1);
    expect(warnings?.[0]).toContain(`127.0.0.1:${port} (EADDRINUSE)`);
  });
});
