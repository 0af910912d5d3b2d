// A real Prometheus server and promtool for the exposition tests: found on the machine (Debian's
// `prometheus` package installs both), started on a free loopback port, stopped by the test.

import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

function runs(binary: string): boolean {
  try {
    execFileSync(binary, ['--version'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/** PROMETHEUS_BIN, else `prometheus` on PATH; undefined when neither runs. */
export function findPrometheus(): string | undefined {
  return [process.env.PROMETHEUS_BIN, 'prometheus'].find((name): name is string => !!name && runs(name));
}

/** PROMTOOL_BIN, beside PROMETHEUS_BIN, else `promtool` on PATH; undefined when none runs. */
export function findPromtool(): string | undefined {
  const besidePrometheus = process.env.PROMETHEUS_BIN
    ? join(dirname(process.env.PROMETHEUS_BIN), 'promtool')
    : undefined;
  return [process.env.PROMTOOL_BIN, besidePrometheus, 'promtool'].find(
    (name): name is string => !!name && runs(name),
  );
}

/** In CI a missing binary fails the run instead of skipping the tests that need it. */
export const prometheusRequired =
  process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';

export interface PromtoolVerdict {
  /** 0: clean; 3: parsed, with lint problems; 1: rejected (a parse error). */
  exitCode: number | null;
  /** `name problem` lines (lint) and `error while linting: …` (rejection). */
  output: string;
}

/** `promtool check metrics` with the exposition on stdin. */
export function promtoolCheckMetrics(promtool: string, exposition: string): PromtoolVerdict {
  const result = spawnSync(promtool, ['check', 'metrics'], {
    input: exposition,
    encoding: 'utf8',
    timeout: 30_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { exitCode: result.status, output: `${result.stdout}${result.stderr}` };
}

export interface ScrapeTarget {
  health: string;
  lastError: string;
  /** Milliseconds since the epoch: the timestamp of that scrape's samples. */
  lastScrapeMillis: number;
}

export interface PrometheusServer {
  /** The one scrape target's state, from /api/v1/targets. */
  target(): Promise<ScrapeTarget | undefined>;
  /** An instant query evaluated at `atMillis`; the result vector. */
  query(
    expression: string,
    atMillis: number,
  ): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** Starts Prometheus scraping `target` (host:port, path /metrics) every `intervalMillis`. */
export async function startPrometheus(
  binary: string,
  target: string,
  intervalMillis: number,
): Promise<PrometheusServer> {
  const directory = mkdtempSync(join(tmpdir(), 'va-prometheus-'));
  const configuration = join(directory, 'prometheus.yml');
  writeFileSync(
    configuration,
    [
      'global:',
      `  scrape_interval: ${intervalMillis}ms`,
      `  scrape_timeout: ${intervalMillis}ms`,
      'scrape_configs:',
      '  - job_name: exposition',
      '    static_configs:',
      `      - targets: ['${target}']`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const child: ChildProcess = spawn(
    binary,
    [
      `--config.file=${configuration}`,
      `--storage.tsdb.path=${join(directory, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = once(child, 'exit');
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(directory, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/-/ready`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`Prometheus did not become ready: ${stderr}`);
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  return {
    async target() {
      const body = (await (await fetch(`${url}/api/v1/targets?state=active`)).json()) as {
        data: { activeTargets: Array<{ health: string; lastError: string; lastScrape: string }> };
      };
      const active = body.data.activeTargets[0];
      if (active === undefined) return undefined;
      // Go writes nanoseconds; Date keeps milliseconds, as Prometheus does for sample timestamps.
      return {
        health: active.health,
        lastError: active.lastError,
        lastScrapeMillis: Date.parse(active.lastScrape),
      };
    },
    async query(expression, atMillis) {
      // Half a millisecond past the scrape, so float rounding cannot land on the millisecond before it.
      const time = ((atMillis + 0.5) / 1000).toFixed(4);
      const response = await fetch(
        `${url}/api/v1/query?query=${encodeURIComponent(expression)}&time=${time}`,
      );
      const body = (await response.json()) as {
        status: string;
        error?: string;
        data?: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
      };
      if (body.status !== 'success') throw new Error(`query failed: ${expression}: ${body.error}`);
      return body.data?.result ?? [];
    },
    stop,
  };
}
