// The `auth` option over real HTTP: the standalone server and the handler mounted in the user's server,
// bearer token and basic auth, values and files, and what happens when the configuration is unusable.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PrometheusBridgeOptions } from '../src/index.js';
import { SECRET_FILE_REFRESH_MS } from '../src/metrics-auth.js';
import { type CapturedLog, captureDiag, close, listen, request, setup } from './helpers.js';

const EXPOSITION = '# TYPE jobs_total counter\njobs_total 3\n';
const TOKEN = 'k3Y-9._~+/abcDEF0123456789==';
const USERNAME = 'prometheus';
const PASSWORD = 'p@ss:wörd with spaces';
const BEARER_CHALLENGE = 'Bearer realm="metrics"';
const BASIC_CHALLENGE = 'Basic realm="metrics", charset="UTF-8"';

const cleanups: Array<() => unknown> = [];
let diagCapture: { logs: CapturedLog[]; restore: () => void } | undefined;

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  diagCapture?.restore();
  diagCapture = undefined;
});

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

/** A bridge serving on 127.0.0.1:0 with one counter at 3; returns its port. */
async function serving(options: PrometheusBridgeOptions): Promise<number> {
  const s = setup({ host: '127.0.0.1', port: 0, withScopeLabels: false, ...options });
  cleanups.push(() => s.provider.shutdown());
  s.provider.getMeter('m').createCounter('jobs').add(3);
  await s.bridge.startServer();
  const port = s.bridge.port;
  if (port === undefined) throw new Error('the bridge did not start listening');
  return port;
}

function secretDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'va-metrics-auth-'));
  cleanups.push(() => rmSync(directory, { recursive: true, force: true }));
  return directory;
}

async function get(port: number, authorization?: string, path = '/metrics') {
  const response = await request(port, path, {
    headers: authorization === undefined ? {} : { authorization },
  });
  return { status: response.status, headers: response.headers, body: response.body.toString('utf8') };
}

function warnings(): string[] {
  return (diagCapture?.logs ?? []).filter((log) => log.level === 'warn').map((log) => log.message);
}

describe('bearer token on the standalone server', () => {
  it('answers 401 with a Bearer challenge without credentials, with wrong ones; 200 with the right token', async () => {
    const port = await serving({ auth: { bearerToken: TOKEN } });

    const missing = await get(port);
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toBe(BEARER_CHALLENGE);
    expect(missing.headers['cache-control']).toBe('no-store');
    expect(missing.body).toBe('Unauthorized\n');

    for (const wrong of [
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(0, -1)}`,
      'Bearer a',
      `Bearer ${'A'.repeat(4096)}`,
    ]) {
      const response = await get(port, wrong);
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe(`${BEARER_CHALLENGE}, error="invalid_token"`);
      expect(response.body).toBe('Unauthorized\n');
    }
    // The right token in the wrong scheme is not accepted either.
    expect((await get(port, basic(USERNAME, TOKEN))).status).toBe(401);
    expect((await get(port, TOKEN)).status).toBe(401);

    const right = await get(port, `Bearer ${TOKEN}`);
    expect(right.status).toBe(200);
    expect(right.body).toBe(EXPOSITION);
    // The scheme name is case-insensitive (RFC 7235).
    expect((await get(port, `bearer ${TOKEN}`)).body).toBe(EXPOSITION);
  });

  it('leaves /health open for probes, and still answers 404 and 405 as without auth', async () => {
    const port = await serving({ auth: { bearerToken: TOKEN } });
    const health = await get(port, undefined, '/health');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body).status).toBe('healthy');
    expect((await get(port, undefined, '/other')).status).toBe(404);
    const post = await request(port, '/metrics', { method: 'POST' });
    expect(post.status).toBe(405);
  });
});

describe('basic auth on the standalone server', () => {
  it('answers 401 with a Basic challenge unless username and password are both right', async () => {
    const port = await serving({ auth: { basicAuth: { username: USERNAME, password: PASSWORD } } });

    const missing = await get(port);
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toBe(BASIC_CHALLENGE);

    for (const wrong of [
      basic(USERNAME, `${PASSWORD}x`),
      basic(`${USERNAME}x`, PASSWORD),
      basic(USERNAME, ''),
      basic('', PASSWORD),
      `Basic ${Buffer.from(USERNAME).toString('base64')}`, // no colon at all
      'Basic !!!not-base64!!!',
      `Bearer ${PASSWORD}`,
    ]) {
      const response = await get(port, wrong);
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe(BASIC_CHALLENGE);
    }

    const right = await get(port, basic(USERNAME, PASSWORD));
    expect(right.status).toBe(200);
    expect(right.body).toBe(EXPOSITION);
  });

  it('accepts either scheme when both are configured, and offers both challenges', async () => {
    const port = await serving({
      auth: { bearerToken: TOKEN, basicAuth: { username: USERNAME, password: PASSWORD } },
    });
    const missing = await get(port);
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toBe(`${BEARER_CHALLENGE}, ${BASIC_CHALLENGE}`);
    expect((await get(port, `Bearer ${TOKEN}`)).body).toBe(EXPOSITION);
    expect((await get(port, basic(USERNAME, PASSWORD))).body).toBe(EXPOSITION);
    expect((await get(port, basic(USERNAME, TOKEN))).status).toBe(401);
  });
});

describe('getMetricsRequestHandler() mounted in the application server', () => {
  it('applies the same auth option', async () => {
    const s = setup({ withScopeLabels: false, auth: { bearerToken: TOKEN } });
    cleanups.push(() => s.provider.shutdown());
    s.provider.getMeter('m').createCounter('jobs').add(3);
    const handler = s.bridge.getMetricsRequestHandler();
    const app = createServer((req, res) => {
      if (req.url === '/internal/metrics') handler(req, res);
      else res.end('app');
    });
    cleanups.push(() => close(app));
    const port = await listen(app);

    const missing = await get(port, undefined, '/internal/metrics');
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toBe(BEARER_CHALLENGE);
    expect((await get(port, 'Bearer nope', '/internal/metrics')).status).toBe(401);
    const right = await get(port, `Bearer ${TOKEN}`, '/internal/metrics');
    expect(right.status).toBe(200);
    expect(right.body).toBe(EXPOSITION);
    expect((await get(port, undefined, '/')).body).toBe('app');
  });
});

describe('secrets in files', () => {
  it('reads the token file (trimmed, as Prometheus trims credentials_file) and follows its rotation', async () => {
    const directory = secretDirectory();
    const file = join(directory, 'token');
    writeFileSync(file, `${TOKEN}\n`);
    const port = await serving({
      auth: { bearerTokenFile: file, bearerToken: 'ignored-when-a-file-is-given' },
    });
    expect((await get(port, `Bearer ${TOKEN}`)).body).toBe(EXPOSITION);
    expect((await get(port, 'Bearer ignored-when-a-file-is-given')).status).toBe(401);

    writeFileSync(file, 'rotated-token\n');
    // Within SECRET_FILE_REFRESH_MS the token read last still holds; after it, the file is read again.
    expect((await get(port, `Bearer ${TOKEN}`)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, SECRET_FILE_REFRESH_MS + 100));
    expect((await get(port, `Bearer ${TOKEN}`)).status).toBe(401);
    expect((await get(port, 'Bearer rotated-token')).body).toBe(EXPOSITION);
  });

  it('reads the password file of basic auth', async () => {
    const file = join(secretDirectory(), 'password');
    writeFileSync(file, `${PASSWORD}\r\n`);
    const port = await serving({ auth: { basicAuth: { username: USERNAME, passwordFile: file } } });
    expect((await get(port, basic(USERNAME, PASSWORD))).body).toBe(EXPOSITION);
    expect((await get(port, basic(USERNAME, `${PASSWORD}\r\n`))).status).toBe(401);
  });

  it('fails closed while the file cannot be read, with one warning naming the file, never the secret', async () => {
    diagCapture = captureDiag();
    const directory = secretDirectory();
    const file = join(directory, 'token');
    const port = await serving({ auth: { bearerTokenFile: file } });
    expect(warnings()).toEqual([
      `@va/prometheus-bridge metrics authentication: bearer token file ${file} cannot be read (ENOENT); every request to the metrics endpoint is answered 401 until it is fixed`,
    ]);
    for (let i = 0; i < 3; i++) expect((await get(port, 'Bearer anything')).status).toBe(401);
    expect((await get(port)).status).toBe(401);

    writeFileSync(file, TOKEN);
    await new Promise((resolve) => setTimeout(resolve, SECRET_FILE_REFRESH_MS + 100));
    expect((await get(port, `Bearer ${TOKEN}`)).body).toBe(EXPOSITION);
    expect(warnings()).toHaveLength(1);
    expect(warnings().join('\n')).not.toContain(TOKEN);
  });
});

describe('unusable configuration fails closed', () => {
  it.each([
    [{ bearerToken: '' }, 'the bearer token is empty'],
    [
      { bearerToken: 'has space' },
      'the bearer token has characters a bearer token cannot have (expected letters, digits, -._~+/ and trailing =)',
    ],
    [{ basicAuth: { username: USERNAME } }, 'the basic auth password is empty'],
    [
      { basicAuth: { username: USERNAME, password: 'tab\there' } },
      'the basic auth password contains control characters',
    ],
    [
      { basicAuth: { username: 'a:b', password: PASSWORD } },
      'the basic auth username contains a colon, which basic auth cannot carry in a username',
    ],
    [{ basicAuth: { username: '', password: PASSWORD } }, 'the basic auth username is empty'],
  ] satisfies Array<[PrometheusBridgeOptions['auth'], string]>)(
    '%j: one warning, every scrape 401',
    async (auth, reason) => {
      diagCapture = captureDiag();
      const port = await serving({ auth });
      expect(warnings()).toEqual([
        `@va/prometheus-bridge metrics authentication: ${reason}; every request to the metrics endpoint is answered 401 until it is fixed`,
      ]);
      expect((await get(port)).status).toBe(401);
      expect((await get(port, 'Bearer has')).status).toBe(401);
      expect((await get(port, basic('a', 'b'))).status).toBe(401);
      expect((await get(port, basic(USERNAME, ''))).status).toBe(401);
      expect((await get(port, undefined, '/health')).status).toBe(200);
      expect(warnings()).toHaveLength(1);
    },
  );

  it('an empty auth object asks for no protection', async () => {
    const port = await serving({ auth: {} });
    expect((await get(port)).body).toBe(EXPOSITION);
  });
});
