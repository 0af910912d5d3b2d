import { spawn } from 'node:child_process';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { isBridgeServer, PROMETHEUS_CONTENT_TYPE, type PrometheusBridgeOptions } from '../src/index.js';
import { type CapturedLog, captureDiag, close, listen, request, type Setup, setup } from './helpers.js';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const EXPOSITION = '# TYPE jobs_total counter\njobs_total 3\n';

const cleanups: Array<() => Promise<void>> = [];
let diagCapture: { logs: CapturedLog[]; restore: () => void } | undefined;

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  diagCapture?.restore();
  diagCapture = undefined;
});

/** A bridge serving on 127.0.0.1 with an ephemeral port, with one counter at 3. */
async function serving(options: PrometheusBridgeOptions = {}): Promise<Setup & { port: number }> {
  const s = setup({
    host: '127.0.0.1',
    port: 0,
    withScopeLabels: false,
    ...options,
    preventServerStart: false,
  });
  cleanups.push(() => s.provider.shutdown());
  s.provider.getMeter('m').createCounter('jobs').add(3);
  await s.bridge.startServer();
  const port = s.bridge.port;
  if (port === undefined) throw new Error('the bridge did not start listening');
  return { ...s, port };
}

function server(): Server {
  const other = createServer((_request, response) => response.end('other'));
  cleanups.push(() => close(other));
  return other;
}

describe('standalone server', () => {
  it('serves GET /metrics as text format 0.0.4', async () => {
    const { port } = await serving();
    const response = await request(port, '/metrics');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe(PROMETHEUS_CONTENT_TYPE);
    expect(response.headers['content-length']).toBe(String(Buffer.byteLength(EXPOSITION)));
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.body.toString('utf8')).toBe(EXPOSITION);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const { port } = await serving();
    const response = await request(port, '/metrics', { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe(PROMETHEUS_CONTENT_TYPE);
    expect(response.headers['content-length']).toBe(String(Buffer.byteLength(EXPOSITION)));
    expect(response.body.length).toBe(0);
  });

  it('gzips when the client accepts it', async () => {
    const { port } = await serving();
    const response = await request(port, '/metrics', { headers: { 'accept-encoding': 'gzip, deflate' } });
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.headers.vary).toBe('Accept, Accept-Encoding');
    expect(response.headers['content-length']).toBe(String(response.body.length));
    expect(gunzipSync(response.body).toString('utf8')).toBe(EXPOSITION);
  });

  it('gzips a large exposition made of many buffers', async () => {
    const { bridge, provider, port } = await serving({ cardinalitySelector: () => 5000 });
    const histogram = provider.getMeter('m').createHistogram('big', { unit: 's' });
    for (let i = 0; i < 3000; i++) histogram.record(i / 100, { route: `/route/${i}` });
    const response = await request(port, '/metrics', { headers: { 'accept-encoding': 'gzip' } });
    const text = gunzipSync(response.body).toString('utf8');
    expect(text.length).toBeGreaterThan(1_000_000);
    expect(text).toBe(await bridge.render());
  });

  it('ignores the query string', async () => {
    const { port } = await serving();
    const response = await request(port, '/metrics?name[]=up&debug=1');
    expect(response.status).toBe(200);
    expect(response.body.toString('utf8')).toBe(EXPOSITION);
  });

  it('serves a configured endpoint', async () => {
    const { port } = await serving({ endpoint: '/api/v1/metrics' });
    expect((await request(port, '/api/v1/metrics')).body.toString('utf8')).toBe(EXPOSITION);
    expect((await request(port, '/metrics')).status).toBe(404);
  });

  it('serves /health as JSON with the counts of the last scrape', async () => {
    const { port } = await serving();
    const scrape = await request(port, '/metrics');
    const response = await request(port, '/health');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    const health = JSON.parse(response.body.toString('utf8'));
    expect(health).toEqual({
      status: 'healthy',
      prefix: '',
      metrics: { counters: 1, gauges: 0, histograms: 0 },
      series: 1,
      lastScrape: {
        at: expect.any(String),
        durationMs: expect.any(Number),
        bytes: scrape.body.length,
        errors: 0,
      },
    });
    expect(new Date(health.lastScrape.at).toISOString()).toBe(health.lastScrape.at);
  });

  it('answers other methods with 405 and Allow, other paths with 404', async () => {
    const { port } = await serving();
    for (const path of ['/metrics', '/health']) {
      const response = await request(port, path, { method: 'POST' });
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe('GET, HEAD');
    }
    expect((await request(port, '/metrics', { method: 'DELETE' })).status).toBe(405);
    expect((await request(port, '/')).status).toBe(404);
    expect((await request(port, '/metrics/')).status).toBe(404);
    expect((await request(port, '/favicon.ico')).status).toBe(404);
  });

  it('listens on an ephemeral port for port 0 and can stop and start again', async () => {
    const { bridge, port } = await serving();
    expect(port).not.toBe(9464);
    expect(bridge.address).toEqual({ address: '127.0.0.1', family: 'IPv4', port });
    await bridge.stopServer();
    expect(bridge.port).toBeUndefined();
    await bridge.stopServer();
    await bridge.startServer();
    expect(bridge.port).toBeGreaterThan(0);
    expect((await request(bridge.port ?? 0, '/metrics')).status).toBe(200);
  });

  it('keeps the app running when the port is taken: one warning, no throw, render still works', async () => {
    const occupier = server();
    const port = await listen(occupier);
    diagCapture = captureDiag();
    const s = setup({ host: '127.0.0.1', port, withScopeLabels: false });
    cleanups.push(() => s.provider.shutdown());
    await s.bridge.startServer(); // the start the constructor began; resolves, never rejects
    expect(s.bridge.port).toBeUndefined();
    const warnings = diagCapture.logs.filter((log) => log.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toContain(`127.0.0.1:${port} (EADDRINUSE)`);
    expect(warnings[0]?.message).toContain('The application keeps running');
    expect(warnings[0]?.message).toContain('`port` option');
    s.provider.getMeter('m').createCounter('jobs').add(3);
    expect(await s.bridge.render()).toBe(EXPOSITION);
    expect((await request(port, '/metrics')).body.toString('utf8')).toBe('other');
  });

  it("listeningAddress(): the real port for port 0, once the constructor's start has settled", async () => {
    const s = setup({ host: '127.0.0.1', port: 0, preventServerStart: false });
    cleanups.push(() => s.provider.shutdown());
    const address = await s.bridge.listeningAddress();
    expect(address).toEqual({ address: '127.0.0.1', family: 'IPv4', port: s.bridge.port });
    expect(address?.port).not.toBe(0);
    expect((await request(address?.port ?? 0, '/metrics')).status).toBe(200);
  });

  it('listeningAddress(): undefined when the port is taken, and no second attempt (one warning)', async () => {
    const occupier = server();
    const port = await listen(occupier);
    diagCapture = captureDiag();
    // Every interface: Node binds at once and the failure is known before the next macrotask.
    const s = setup({ port, preventServerStart: false });
    cleanups.push(() => s.provider.shutdown());
    await new Promise((resolve) => setImmediate(resolve));
    expect(await s.bridge.listeningAddress()).toBeUndefined();
    expect(await s.bridge.listeningAddress()).toBeUndefined();
    const warnings = diagCapture.logs.filter((log) => log.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toContain(`0.0.0.0:${port} (EADDRINUSE)`);
  });

  it('listeningAddress(): starts nothing when the server start is prevented', async () => {
    const s = setup({ host: '127.0.0.1', port: 0 });
    cleanups.push(() => s.provider.shutdown());
    expect(await s.bridge.listeningAddress()).toBeUndefined();
    expect(s.bridge.port).toBeUndefined();
  });

  it('marks its server for isBridgeServer, in a registry shared through globalThis', async () => {
    const seen: unknown[] = [];
    const sockets: unknown[] = [];
    const onRequest = (message: unknown) => {
      const { server, socket } = message as { server: unknown; socket: { server?: unknown } };
      seen.push(server);
      sockets.push(socket.server); // what ignoreIncomingRequestHook sees: request.socket.server
    };
    subscribe('http.server.request.start', onRequest);
    try {
      const { port } = await serving();
      const other = server();
      const otherPort = await listen(other);
      await request(port, '/metrics');
      await request(otherPort, '/');
      expect(seen).toHaveLength(2);
      expect(isBridgeServer(seen[0])).toBe(true);
      expect(isBridgeServer(seen[1])).toBe(false);
      expect(seen[1]).toBe(other);
      expect(sockets).toEqual(seen);
      const registry = (globalThis as unknown as Record<symbol, unknown>)[
        Symbol.for('@va/prometheus-bridge.servers')
      ];
      expect(registry).toBeInstanceOf(WeakSet);
      expect((registry as WeakSet<object>).has(seen[0] as object)).toBe(true);
    } finally {
      unsubscribe('http.server.request.start', onRequest);
    }
    expect(isBridgeServer(undefined)).toBe(false);
    expect(isBridgeServer('server')).toBe(false);
  });
});

describe('mounted handler', () => {
  it('serves the exposition from a plain node:http server at any path', async () => {
    const s = setup({ withScopeLabels: false });
    cleanups.push(() => s.provider.shutdown());
    s.provider.getMeter('m').createCounter('jobs').add(3);
    const handler = s.bridge.getMetricsRequestHandler();
    const app = server();
    app.removeAllListeners('request');
    app.on('request', (req, res) => {
      if (req.url?.startsWith('/internal/metrics')) handler(req, res);
      else res.writeHead(404).end();
    });
    const port = await listen(app);
    const response = await request(port, '/internal/metrics?x=1');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe(PROMETHEUS_CONTENT_TYPE);
    expect(response.body.toString('utf8')).toBe(EXPOSITION);
    const gzipped = await request(port, '/internal/metrics', { headers: { 'accept-encoding': 'gzip' } });
    expect(gunzipSync(gzipped.body).toString('utf8')).toBe(EXPOSITION);
    const post = await request(port, '/internal/metrics', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('answers 500 when rendering is impossible', async () => {
    const s = setup();
    await s.provider.shutdown();
    const app = server();
    app.removeAllListeners('request');
    app.on('request', s.bridge.getMetricsRequestHandler());
    diagCapture = captureDiag();
    const response = await request(await listen(app), '/metrics');
    expect(response.status).toBe(500);
    expect(diagCapture.logs.filter((log) => log.level === 'error')).toHaveLength(1);
  });
});

describe('process lifetime', () => {
  const built =
    existsSync(join(packageRoot, 'dist/cjs/index.js')) && existsSync(join(packageRoot, 'dist/esm/index.js'));

  function runNode(
    args: string[],
  ): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
    return new Promise((resolve, reject) => {
      const started = performance.now();
      const child = spawn(process.execPath, args, { cwd: packageRoot, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the process did not exit on its own within 5 s; stdout: ${stdout}`));
      }, 5_000);
      child.on('error', reject);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr, ms: performance.now() - started });
      });
    });
  }

  it('the built package exists (run `npm run build` first)', () => {
    expect(built).toBe(true);
  });

  it.runIf(built)('does not hold a CommonJS process open', async () => {
    const script = `
      const { MeterProvider } = require('@opentelemetry/sdk-metrics');
      const { PrometheusBridge } = require('./dist/cjs/index.js');
      const bridge = new PrometheusBridge({ host: '127.0.0.1', port: 0 });
      new MeterProvider({ readers: [bridge] }).getMeter('m').createCounter('c').add(1);
      bridge.startServer().then(() => process.stdout.write('listening on ' + bridge.port));
    `;
    const result = await runNode(['-e', script]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^listening on \d+$/);
    expect(result.code).toBe(0);
  });

  it.runIf(built)('does not hold an ES module process open', async () => {
    const script = `
      import { PrometheusBridge } from './dist/esm/index.js';
      const bridge = new PrometheusBridge({ host: '127.0.0.1', port: 0 });
      await bridge.startServer();
      process.stdout.write('listening on ' + bridge.port);
    `;
    const result = await runNode(['--input-type=module', '-e', script]);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^listening on \d+$/);
    expect(result.code).toBe(0);
  });
});
