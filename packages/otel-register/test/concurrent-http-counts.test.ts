import { Agent, request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type ChildApp, startRegisteredApp } from './support/child-app.js';
import { samplesOf } from './support/exposition.js';
import { scrape, seriesOf, sortSeries } from './support/scrape.js';

const SERVER = 'voice_agent_http_server_request_duration_seconds';
const CLIENT = 'voice_agent_http_client_request_duration_seconds';
const ACTIVE = 'voice_agent_http_server_active_requests';
const CONCURRENT = 10_000;

/** What the test sends, per 20 requests: every method, route and status class the app has. */
const MIX: ReadonlyArray<{ method: string; path: string; status: number; body?: string }> = [
  ...Array.from({ length: 8 }, (_, n) => ({ method: 'GET', path: `/items/${n}`, status: 200 })),
  { method: 'DELETE', path: '/items/9', status: 204 },
  ...Array.from({ length: 4 }, () => ({
    method: 'POST',
    path: '/echo',
    status: 201,
    body: 'x'.repeat(1024),
  })),
  ...Array.from({ length: 3 }, (_, n) => ({ method: 'GET', path: `/no/such/${n}`, status: 404 })),
  ...Array.from({ length: 2 }, () => ({ method: 'GET', path: '/boom', status: 500 })),
  { method: 'GET', path: '/outbound/fetch', status: 200 },
  { method: 'GET', path: '/outbound/http', status: 200 },
];

let app: ChildApp | undefined;
afterEach(async () => {
  await app?.stop('SIGKILL');
  app = undefined;
});

/** One request on its own connection; resolves with the status and the echoed body's length. */
function send(
  agent: Agent,
  url: string,
  method: string,
  body: string | undefined,
): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method, agent, timeout: 60_000 }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      response.on('end', () => resolve({ status: response.statusCode!, bytes }));
      response.on('error', reject);
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`${method} ${url} timed out`)));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

async function waitFor(check: () => Promise<boolean>, what: string, millis = 30_000): Promise<void> {
  const deadline = Date.now() + millis;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 200));
  }
}

const key = (...parts: Array<string | number | undefined>): string =>
  parts.map((part) => part ?? '-').join(' ');

// Both server paths must count the same: users switch with one variable. The upstream path takes
// routes only from its framework instrumentations, so on this plain node:http app setHttpRoute()
// names none there (documented in docs/configuration.md).
describe.each([
  ['our diagnostics-channel path', {}, true],
  ['the upstream instrumentation-http path', { VA_HTTP_SERVER_INSTRUMENTATION: 'upstream' }, false],
])(`${CONCURRENT.toLocaleString('en')} requests in flight at once, %s`, (_name, environment, namesRoutes) => {
  it('every request is counted once under its method, route and status; in-flight goes to the total, then back to 0', async () => {
    const started = await startRegisteredApp('held-requests-app.cjs', environment);
    app = started.app;
    const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
    const sent = Array.from({ length: CONCURRENT }, (_, index) => MIX[index % MIX.length]!);
    const answers = sent.map(({ method, path, body }) =>
      send(agent, `${started.appUrl}${path}`, method, body),
    );
    // Awaited below; this only keeps a failure before then from surfacing as an unhandled rejection.
    for (const answer of answers) answer.catch(() => undefined);

    // The app holds every request until SIGUSR2: all of them are in flight together.
    const active = async (): Promise<number> =>
      samplesOf(await scrape(started.metricsPort), ACTIVE).reduce((total, sample) => total + sample.value, 0);
    await waitFor(async () => (await active()) >= CONCURRENT, `${CONCURRENT} requests in flight`);
    expect(await active()).toBe(CONCURRENT);
    app.process.kill('SIGUSR2');
    const received = await Promise.all(answers);
    agent.destroy();

    expect(received.map((answer) => answer.status)).toEqual(sent.map((request) => request.status));
    expect(
      received.filter((answer, index) => sent[index]!.method === 'POST' && answer.bytes !== 1024),
    ).toEqual([]);

    // What the server must have recorded: each request sent, plus the app's own calls to /inner.
    const expected = new Map<string, number>();
    const add = (entry: string, count = 1) => expected.set(entry, (expected.get(entry) ?? 0) + count);
    const routeOf = (path: string): string | undefined =>
      !namesRoutes
        ? undefined
        : path.startsWith('/items/')
          ? '/items/:itemId'
          : path.startsWith('/no/such/')
            ? undefined
            : path;
    for (const { method, path, status } of sent) {
      add(key(method, routeOf(path), status));
      const inner = namesRoutes ? '/inner/:state' : undefined;
      if (path === '/outbound/fetch') add(key('GET', inner, 200));
      if (path === '/outbound/http') add(key('GET', inner, 503));
    }

    const samples = await scrape(started.metricsPort);
    const counted = new Map<string, number>();
    for (const { labels, value } of seriesOf(samples, `${SERVER}_count`)) {
      counted.set(
        key(labels.http_request_method, labels.http_route, labels.http_response_status_code),
        value,
      );
    }
    expect(Object.fromEntries(counted)).toEqual(Object.fromEntries(expected));
    expect([...counted.values()].reduce((a, b) => a + b, 0)).toBe(CONCURRENT + (CONCURRENT / MIX.length) * 2);
    // Each series' sum is a real duration: every one of these requests waited for the others.
    for (const { labels, value } of seriesOf(samples, `${SERVER}_sum`)) {
      expect(value, JSON.stringify(labels)).toBeGreaterThan(0);
    }
    expect(seriesOf(samples, ACTIVE)).toEqual(
      sortSeries([
        { labels: { http_request_method: 'DELETE', url_scheme: 'http' }, value: 0 },
        { labels: { http_request_method: 'GET', url_scheme: 'http' }, value: 0 },
        { labels: { http_request_method: 'POST', url_scheme: 'http' }, value: 0 },
      ]),
    );

    // The client side: the app's fetch (undici) and node:http calls, one each per /outbound request.
    const perOutbound = CONCURRENT / MIX.length;
    const inner = {
      http_request_method: 'GET',
      server_address: '127.0.0.1',
      server_port: new URL(started.appUrl).port,
      network_protocol_version: '1.1',
    };
    expect(seriesOf(samples, `${CLIENT}_count`)).toEqual(
      sortSeries([
        { labels: { ...inner, url_scheme: 'http', http_response_status_code: '200' }, value: perOutbound },
        {
          labels: { ...inner, url_scheme: 'http', http_response_status_code: '503', error_type: '503' },
          value: perOutbound,
        },
      ]),
    );
  }, 120_000);
});
