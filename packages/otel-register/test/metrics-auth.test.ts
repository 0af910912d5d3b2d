// The metrics endpoint's credentials under `--require @va/otel-register`, configured from the environment
// alone, and a real Prometheus scraping with the sample configurations of docs/security.md
// (examples/monitoring/security/): `up` is 1 with the right secrets, and a wrong token shows the 401.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  findPrometheus,
  type PrometheusServer,
  prometheusRequired,
  startPrometheus,
} from '@va/test-metrics/prometheus-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ChildApp, httpGet, startRegisteredApp } from './support/child-app.js';
import { parseExposition } from './support/exposition.js';
import { seriesOf } from './support/scrape.js';

const TOKEN = 'dGhpcy1pcy1hLXRlc3QtdG9rZW4tb2YtMzItYnl0ZXM=';
const USERNAME = 'prometheus';
const PASSWORD = 'correct horse battery staple';
const SERVER_COUNT = 'voice_agent_http_server_request_duration_seconds_count';
const SESSIONS = {
  http_request_method: 'GET',
  network_protocol_version: '1.1',
  url_scheme: 'http',
  http_response_status_code: '200',
  http_route: '/sessions/:sessionId',
};
const SECURITY_EXAMPLES = fileURLToPath(new URL('../../../examples/monitoring/security/', import.meta.url));

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function temporaryDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'va-register-auth-'));
  cleanups.push(() => rmSync(directory, { recursive: true, force: true }));
  return directory;
}

/** GET with an optional Authorization header; any host, so the binding can be tested. */
function get(
  host: string,
  port: number,
  path: string,
  authorization?: string,
): Promise<{ status: number; challenge: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host, port, path, headers: authorization === undefined ? {} : { authorization } },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, challenge: res.headers['www-authenticate'], body }),
        );
      },
    );
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`GET ${path} timed out`)));
    req.end();
  });
}

const basic = (username: string, password: string) =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

async function started(
  environment: Record<string, string>,
): Promise<{ app: ChildApp; appUrl: string; port: number }> {
  const { app, appUrl, metricsPort } = await startRegisteredApp('routed-node-app.cjs', environment);
  cleanups.push(() => app.stop('SIGKILL'));
  for (const id of ['a', 'b', 'c']) expect((await httpGet(`${appUrl}/sessions/${id}`)).status).toBe(200);
  return { app, appUrl, port: metricsPort };
}

describe('the register with VA_METRICS_BEARER_TOKEN_FILE', () => {
  it('answers 401 without or with a wrong token, 200 with the exposition with the right one; /health stays open', async () => {
    const file = join(temporaryDirectory(), 'token');
    writeFileSync(file, `${TOKEN}\n`);
    const { app, port } = await started({ VA_METRICS_BEARER_TOKEN_FILE: file });

    const missing = await get('127.0.0.1', port, '/metrics');
    expect(missing).toEqual({ status: 401, challenge: 'Bearer realm="metrics"', body: 'Unauthorized\n' });
    const wrong = await get('127.0.0.1', port, '/metrics', `Bearer ${TOKEN.slice(1)}`);
    expect(wrong.status).toBe(401);
    expect(wrong.challenge).toBe('Bearer realm="metrics", error="invalid_token"');
    expect((await get('127.0.0.1', port, '/metrics', basic(USERNAME, TOKEN))).status).toBe(401);

    const right = await get('127.0.0.1', port, '/metrics', `Bearer ${TOKEN}`);
    expect(right.status).toBe(200);
    // The three requests of the app, and none of the refused scrapes, are the app's HTTP traffic.
    expect(seriesOf(parseExposition(right.body), SERVER_COUNT)).toEqual([{ labels: SESSIONS, value: 3 }]);

    expect((await get('127.0.0.1', port, '/health')).status).toBe(200);
    expect(app.stderr()).toBe('');
  });
});

describe('the register with VA_METRICS_BASIC_AUTH_USERNAME and VA_METRICS_BASIC_AUTH_PASSWORD', () => {
  it('answers 401 unless both are right', async () => {
    const { app, port } = await started({
      VA_METRICS_BASIC_AUTH_USERNAME: USERNAME,
      VA_METRICS_BASIC_AUTH_PASSWORD: PASSWORD,
    });
    const missing = await get('127.0.0.1', port, '/metrics');
    expect(missing.status).toBe(401);
    expect(missing.challenge).toBe('Basic realm="metrics", charset="UTF-8"');
    expect((await get('127.0.0.1', port, '/metrics', basic(USERNAME, `${PASSWORD} `))).status).toBe(401);
    expect((await get('127.0.0.1', port, '/metrics', basic('admin', PASSWORD))).status).toBe(401);
    const right = await get('127.0.0.1', port, '/metrics', basic(USERNAME, PASSWORD));
    expect(right.status).toBe(200);
    expect(seriesOf(parseExposition(right.body), SERVER_COUNT)).toEqual([{ labels: SESSIONS, value: 3 }]);
    expect(app.stderr()).toBe('');
  });

  it('fails closed on a username it cannot use: one warning without the password, every scrape 401, the app serves on', async () => {
    const { app, appUrl, port } = await started({
      VA_METRICS_BASIC_AUTH_USERNAME: 'pro:metheus',
      VA_METRICS_BASIC_AUTH_PASSWORD: PASSWORD,
    });
    expect((await get('127.0.0.1', port, '/metrics')).status).toBe(401);
    expect((await get('127.0.0.1', port, '/metrics', basic('pro', `metheus:${PASSWORD}`))).status).toBe(401);
    expect((await httpGet(`${appUrl}/sessions/d`)).status).toBe(200);
    const warnings = app
      .stderr()
      .split('\n')
      .filter((line) => line !== '');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(
      'metrics authentication: the basic auth username contains a colon, which basic auth cannot carry in a username; every request to the metrics endpoint is answered 401 until it is fixed',
    );
    expect(app.stderr()).not.toContain(PASSWORD);
  });
});

describe('OTEL_EXPORTER_PROMETHEUS_HOST binds the metrics server to one interface', () => {
  it('127.0.0.1 is reachable on 127.0.0.1 and refused on 127.0.0.2, which 0.0.0.0 answers on', async () => {
    const loopback = await started({ OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1' });
    expect((await get('127.0.0.1', loopback.port, '/health')).status).toBe(200);
    await expect(get('127.0.0.2', loopback.port, '/health')).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    const everywhere = await started({ OTEL_EXPORTER_PROMETHEUS_HOST: '0.0.0.0' });
    expect((await get('127.0.0.2', everywhere.port, '/health')).status).toBe(200);
  });
});

const prometheusBinary = findPrometheus();
if (prometheusBinary === undefined && prometheusRequired) {
  throw new Error(
    'CI is set but no Prometheus binary was found: the end-to-end tests must not be skipped in CI.',
  );
}
if (prometheusBinary === undefined)
  console.warn('metrics-auth.test.ts: Prometheus tests skipped, no prometheus binary');

describe.skipIf(prometheusBinary === undefined)('a real Prometheus with the sample scrape configs', () => {
  let prometheus: PrometheusServer;
  let app: ChildApp;
  let secrets: string;

  beforeAll(async () => {
    secrets = mkdtempSync(join(tmpdir(), 'va-prometheus-secrets-'));
    // One Secret as Kubernetes mounts it, plus one with a wrong token for the third job.
    for (const [directory, token] of [
      ['right', TOKEN],
      ['wrong', 'not-the-token'],
    ] as const) {
      mkdirSync(join(secrets, directory, 'voice-agent-metrics'), { recursive: true });
      writeFileSync(join(secrets, directory, 'voice-agent-metrics', 'token'), `${token}\n`);
      writeFileSync(join(secrets, directory, 'voice-agent-metrics', 'password'), `${PASSWORD}\n`);
    }
    const right = join(secrets, 'right', 'voice-agent-metrics');
    const registered = await startRegisteredApp('routed-node-app.cjs', {
      VA_METRICS_BEARER_TOKEN_FILE: join(right, 'token'),
      VA_METRICS_BASIC_AUTH_USERNAME: USERNAME,
      VA_METRICS_BASIC_AUTH_PASSWORD_FILE: join(right, 'password'),
    });
    app = registered.app;
    for (const id of ['a', 'b', 'c'])
      expect((await httpGet(`${registered.appUrl}/sessions/${id}`)).status).toBe(200);

    // The jobs of the sample files, as they are, pointed at this app and at the secrets above.
    const job = (file: string, name: string, secretsRoot: string) =>
      readFileSync(join(SECURITY_EXAMPLES, file), 'utf8')
        .split('scrape_configs:\n')[1]!
        .replace('job_name: voice-agent', `job_name: ${name}`)
        .replaceAll('voice-agent:9464', `127.0.0.1:${registered.metricsPort}`)
        .replaceAll('/etc/prometheus/secrets/', `${join(secrets, secretsRoot)}/`);
    prometheus = await startPrometheus(prometheusBinary!, {
      scrapeConfigs: [
        job('prometheus-bearer-token.yml', 'bearer', 'right'),
        job('prometheus-basic-auth.yml', 'basic', 'right'),
        job('prometheus-bearer-token.yml', 'wrong', 'wrong'),
      ].join(''),
    });
  });

  afterAll(async () => {
    await prometheus?.stop();
    await app?.stop('SIGKILL');
    if (secrets !== undefined) rmSync(secrets, { recursive: true, force: true });
  });

  it('scrapes with the right token and with basic auth (up 1), and shows the 401 of a wrong token (up 0)', async () => {
    const up = async () =>
      Object.fromEntries(
        (await prometheus.query('up')).map((sample) => [sample.metric.job, sample.value[1]]),
      );
    const deadline = Date.now() + 30_000;
    let seen: Record<string, string> = {};
    while (Date.now() < deadline) {
      seen = await up();
      if (Object.keys(seen).length === 3) break;
      await new Promise((done) => setTimeout(done, 250));
    }
    expect(seen).toEqual({ bearer: '1', basic: '1', wrong: '0' });

    const requests = await prometheus.query(
      `sum by (job) (${SERVER_COUNT}{http_route="/sessions/:sessionId"})`,
    );
    expect(Object.fromEntries(requests.map((sample) => [sample.metric.job, sample.value[1]]))).toEqual({
      bearer: '3',
      basic: '3',
    });

    const byJob = Object.fromEntries(
      (await prometheus.targets()).map((target) => [target.job, [target.health, target.lastError]]),
    );
    expect(byJob).toEqual({
      bearer: ['up', ''],
      basic: ['up', ''],
      wrong: ['down', 'server returned HTTP status 401 Unauthorized'],
    });
  });
});
