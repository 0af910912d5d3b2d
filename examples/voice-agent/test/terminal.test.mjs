// The demo as a terminal sees it: Ctrl-C reaches the whole foreground process group (the demo and,
// before it had a group of its own, the embedded PostgreSQL), a busy port, and the name the demo
// gives itself on /metrics.

import { createServer } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { START_PRELOADS, spawnDemo } from './support/demo-process.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function listenOn(port) {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

const running = [];

/** The demo as `npm start` runs it, in a process group of its own as a terminal's job is. */
function startDemo(env) {
  const demo = spawnDemo([...START_PRELOADS, 'src/main.js'], env, { detached: true });
  running.push(demo);
  return demo;
}

async function waitFor(demo, pattern, withinMs) {
  const startedAt = Date.now();
  for (;;) {
    const match = pattern.exec(demo.output);
    if (match) return match;
    if (demo.child.exitCode !== null) throw new Error(`the demo exited early:\n${demo.output}`);
    if (Date.now() - startedAt > withinMs)
      throw new Error(`no ${pattern} within ${withinMs} ms:\n${demo.output}`);
    await sleep(50);
  }
}

afterEach(async () => {
  // A failed test must not leave a demo (or its detached PostgreSQL) behind: SIGTERM lets it stop both.
  for (const demo of running.splice(0)) {
    if (demo.child.exitCode !== null || demo.child.signalCode !== null) continue;
    demo.child.kill('SIGTERM');
    if (!(await Promise.race([demo.exited, sleep(10_000).then(() => false)]))) demo.child.kill('SIGKILL');
  }
});

test('Ctrl-C at a terminal (SIGINT to the whole process group) ends the demo within 2 s, exit 0, with its summary and no stack trace', async () => {
  const metricsServer = await listenOn(0);
  const metricsPort = metricsServer.address().port;
  await new Promise((resolve) => metricsServer.close(resolve));
  const demo = startDemo({
    PORT: '0',
    OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
    OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
  });
  await waitFor(demo, /^ready \d+$/m, 60_000);

  // The demo names itself in target_info (it would be unknown_service:node).
  const body = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  expect(body.split('\n').find((line) => line.startsWith('target_info{'))).toMatch(
    /[{,]service_name="voice-agent-demo"[,}]/,
  );

  // Calls in flight, so the database is busy when the signal comes.
  await sleep(3000);
  const signalledAt = Date.now();
  process.kill(-demo.child.pid, 'SIGINT');
  const result = await Promise.race([demo.exited, sleep(10_000).then(() => 'timeout')]);
  const tookMs = Date.now() - signalledAt;

  expect(result, demo.output).toEqual({ code: 0, signal: null });
  expect(tookMs, demo.output).toBeLessThan(2000);
  const afterSignal = demo.output.slice(demo.output.indexOf('SIGINT: shutting down'));
  expect(afterSignal, demo.output).toMatch(/^done: .* turns \(\d+ interrupted, \d+ failed\)/m);
  expect(afterSignal).not.toMatch(/57P01|ECONNREFUSED|Warning|warning|\n\s+at /);
}, 90_000);

test("OTEL_SERVICE_NAME set by the user wins over the demo's default", async () => {
  const metricsServer = await listenOn(0);
  const metricsPort = metricsServer.address().port;
  await new Promise((resolve) => metricsServer.close(resolve));
  const demo = startDemo({
    PORT: '0',
    OTEL_SERVICE_NAME: 'my-agent',
    OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
    OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
  });
  await waitFor(demo, /^ready \d+$/m, 60_000);
  const body = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  expect(body.split('\n').find((line) => line.startsWith('target_info{'))).toMatch(
    /[{,]service_name="my-agent"[,}]/,
  );
  demo.child.kill('SIGTERM');
  expect(await demo.exited).toEqual({ code: 0, signal: null });
}, 90_000);

test('a busy API port: one line saying so and what to set, no stack trace, exit 1', async () => {
  const busy = await listenOn(0);
  try {
    const port = busy.address().port;
    const demo = startDemo({
      PORT: String(port),
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_SERVICE_NAME: 'busy-port-test',
    });
    const result = await Promise.race([demo.exited, sleep(60_000).then(() => 'timeout')]);
    expect(result, demo.output).toEqual({ code: 1, signal: null });
    const lines = demo.output.trimEnd().split('\n');
    expect(lines.filter((line) => line.includes('could not start'))).toEqual([
      `could not start: port ${port} is already in use (another demo running?); set PORT to another port, or PORT=0 for a free one`,
    ]);
    expect(demo.output).not.toMatch(/EADDRINUSE|\n\s+at |warning:/);
  } finally {
    await new Promise((resolve) => busy.close(resolve));
  }
}, 90_000);
