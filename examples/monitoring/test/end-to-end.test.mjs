// The seed reports end in a query that returns nothing. This test starts the demo for a bounded
// run, lets a real Prometheus scrape it (with our recording and alert rules loaded) and evaluates
// every dashboard panel and every rule through the Prometheus HTTP API. It fails on any expression
// that returns no data; an alert may be inactive, but every selector inside it must match series.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allExpressions } from './expressions.mjs';

const KIT = fileURLToPath(new URL('..', import.meta.url));
const DEMO = fileURLToPath(new URL('../../voice-agent', import.meta.url));
const RUN_SECONDS = 90;

function findPrometheus() {
  for (const candidate of [process.env.PROMETHEUS_BIN, 'prometheus'].filter(Boolean)) {
    try {
      execFileSync(candidate, ['--version'], { stdio: 'ignore', timeout: 10_000 });
      return candidate;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

const prometheusBinary = findPrometheus();
const required = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
if (prometheusBinary === undefined && required) {
  throw new Error('CI is set but no prometheus binary was found (apt-get install -y prometheus)');
}
if (prometheusBinary === undefined) console.warn('end-to-end.test.mjs: skipped, no prometheus binary');

async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

function startProcess(command, args, options) {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    output += chunk;
  });
  const exited = once(child, 'exit');
  return {
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

async function waitFor(condition, timeoutMillis, what) {
  const deadline = Date.now() + timeoutMillis;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.skipIf(prometheusBinary === undefined)('every dashboard panel and rule against the demo', () => {
  let demo;
  let prometheus;
  let prometheusUrl;
  let directory;

  async function query(expression) {
    const url = `${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expression)}`;
    const body = await (await fetch(url)).json();
    if (body.status !== 'success') throw new Error(`${expression}: ${body.error}`);
    return body.data.result;
  }

  beforeAll(async () => {
    const metricsPort = await freePort();
    demo = startProcess(
      process.execPath,
      ['--require', '@va/otel-register', 'src/main.js', '--duration', String(RUN_SECONDS), '--quiet'],
      {
        cwd: DEMO,
        env: {
          PATH: process.env.PATH ?? '',
          PORT: '0',
          OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
          OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
          OTEL_LOG_LEVEL: 'warn',
        },
      },
    );
    await waitFor(() => /^ready \d+/m.test(demo.output()), 60_000, `the demo\n${demo.output()}`);

    directory = mkdtempSync(join(tmpdir(), 'va-monitoring-e2e-'));
    const configuration = join(directory, 'prometheus.yml');
    writeFileSync(
      configuration,
      [
        'global:',
        '  scrape_interval: 1s',
        '  evaluation_interval: 1s',
        'rule_files:',
        `  - ${join(KIT, 'rules', 'recording.yml')}`,
        `  - ${join(KIT, 'rules', 'alerts.yml')}`,
        'scrape_configs:',
        '  - job_name: voice-agent',
        '    static_configs:',
        `      - targets: ['127.0.0.1:${metricsPort}']`,
        '',
      ].join('\n'),
    );
    const prometheusPort = await freePort();
    prometheusUrl = `http://127.0.0.1:${prometheusPort}`;
    prometheus = startProcess(prometheusBinary, [
      `--config.file=${configuration}`,
      `--storage.tsdb.path=${join(directory, 'data')}`,
      `--web.listen-address=127.0.0.1:${prometheusPort}`,
      '--log.level=warn',
    ]);
    await waitFor(
      async () => {
        try {
          return (await fetch(`${prometheusUrl}/-/ready`)).ok;
        } catch {
          return false;
        }
      },
      30_000,
      'Prometheus',
    );
  }, 120_000);

  afterAll(async () => {
    await prometheus?.stop();
    await demo?.stop();
    if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
  });

  it(
    'returns data for every panel and recording rule, and every alert selector matches series',
    async () => {
      const expressions = await allExpressions();
      expect(expressions.length).toBeGreaterThan(50);
      // One check per expression: the expression itself, or for an alert each selector inside it.
      const checks = [];
      for (const expression of expressions) {
        if (expression.kind === 'alert') {
          await query(expression.expr); // must at least evaluate
          for (const selector of expression.innerSelectors)
            checks.push({ id: `${expression.id} ${selector}`, expr: selector });
        } else checks.push({ id: expression.id, expr: expression.expr });
      }
      let empty = checks;
      const deadline = Date.now() + (RUN_SECONDS - 20) * 1000;
      while (empty.length > 0 && Date.now() < deadline) {
        const still = [];
        for (const check of empty) if ((await query(check.expr)).length === 0) still.push(check);
        empty = still;
        if (empty.length > 0) await new Promise((resolve) => setTimeout(resolve, 3_000));
      }
      expect(empty.map((check) => `${check.id}: ${check.expr}`)).toEqual([]);
      const up = await query('up{job="voice-agent"}');
      expect(up.map((sample) => sample.value[1])).toEqual(['1']);
    },
    RUN_SECONDS * 1000,
  );
});
