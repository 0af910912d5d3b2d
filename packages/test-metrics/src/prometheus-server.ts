// A real Prometheus server and promtool for the end-to-end tests: found on the machine (Debian's
// `prometheus` package installs both), started on a free loopback port, stopped by the test.

import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from './free-port.js';

/** The first of `candidates` that answers `--version`. */
function firstThatRuns(candidates: ReadonlyArray<string | undefined>): string | undefined {
  return candidates.find((name): name is string => {
    if (!name) return false;
    try {
      execFileSync(name, ['--version'], { stdio: 'ignore', timeout: 10_000 });
      return true;
    } catch {
      return false;
    }
  });
}

/** PROMETHEUS_BIN, else `prometheus` on PATH (/usr/bin/prometheus from Debian); undefined when neither runs. */
export function findPrometheus(): string | undefined {
  return firstThatRuns([process.env.PROMETHEUS_BIN, 'prometheus']);
}

/** PROMTOOL_BIN, beside PROMETHEUS_BIN, else `promtool` on PATH; undefined when none runs. */
export function findPromtool(): string | undefined {
  const prometheusBin = process.env.PROMETHEUS_BIN;
  return firstThatRuns([
    process.env.PROMTOOL_BIN,
    prometheusBin ? join(dirname(prometheusBin), 'promtool') : undefined,
    'promtool',
  ]);
}

/**
 * True when the end-to-end tests must not be skipped for want of Prometheus: in CI they fail
 * instead, so a missing install step cannot turn into a green run that proved nothing.
 */
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

export interface PrometheusOptions {
  /** host:port targets (path /metrics) of one job named `job`; ignored when `scrapeConfigs` is given. */
  targets?: readonly string[];
  /** The job name of `targets`; `app` unless told. */
  job?: string;
  /** The YAML list under `scrape_configs:`, indented by two spaces, in place of `targets`. */
  scrapeConfigs?: string;
  /** The global scrape (and rule evaluation) interval; 1000 unless told. */
  intervalMillis?: number;
  /** The global scrape timeout; unless told, Prometheus's default (10 s, at most the interval). */
  timeoutMillis?: number;
}

export interface ScrapeTarget {
  job: string;
  health: string;
  lastError: string;
  /** Milliseconds since the epoch: the timestamp of that scrape's samples. */
  lastScrapeMillis: number;
}

export type InstantVector = Array<{ metric: Record<string, string>; value: [number, string] }>;

export interface PrometheusServer {
  readonly url: string;
  /** An instant query through the HTTP API, at `atMillis` or now; the result vector. */
  query(expression: string, atMillis?: number): Promise<InstantVector>;
  /** The active scrape targets' state, from /api/v1/targets. */
  targets(): Promise<ScrapeTarget[]>;
  stop(): Promise<void>;
}

function configuration(options: PrometheusOptions): string {
  const interval = options.intervalMillis ?? 1_000;
  const targets = options.targets ?? [];
  return [
    'global:',
    `  scrape_interval: ${interval}ms`,
    ...(options.timeoutMillis !== undefined ? [`  scrape_timeout: ${options.timeoutMillis}ms`] : []),
    `  evaluation_interval: ${interval}ms`,
    'scrape_configs:',
    ...(options.scrapeConfigs !== undefined
      ? [options.scrapeConfigs]
      : [
          `  - job_name: ${options.job ?? 'app'}`,
          '    static_configs:',
          `      - targets: [${targets.map((target) => `'${target}'`).join(', ')}]`,
        ]),
    '',
  ].join('\n');
}

/** Starts Prometheus on a free 127.0.0.1 port and waits until it is ready (30 s at most). */
export async function startPrometheus(binary: string, options: PrometheusOptions): Promise<PrometheusServer> {
  const directory = mkdtempSync(join(tmpdir(), 'va-prometheus-'));
  const configurationFile = join(directory, 'prometheus.yml');
  writeFileSync(configurationFile, configuration(options));
  const port = await freePort();
  const child: ChildProcess = spawn(
    binary,
    [
      `--config.file=${configurationFile}`,
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
    url,
    async query(expression, atMillis) {
      // Half a millisecond past `atMillis`, so float rounding cannot land on the millisecond before it.
      const time = atMillis === undefined ? '' : `&time=${((atMillis + 0.5) / 1000).toFixed(4)}`;
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expression)}${time}`);
      const body = (await response.json()) as {
        status: string;
        error?: string;
        data?: { result: InstantVector };
      };
      if (body.status !== 'success') throw new Error(`query failed: ${expression}: ${body.error}`);
      return body.data?.result ?? [];
    },
    async targets() {
      const body = (await (await fetch(`${url}/api/v1/targets?state=active`)).json()) as {
        data: {
          activeTargets: Array<{
            labels: { job: string };
            health: string;
            lastError: string;
            lastScrape: string;
          }>;
        };
      };
      // Go writes nanoseconds; Date keeps milliseconds, as Prometheus does for sample timestamps.
      return body.data.activeTargets.map((target) => ({
        job: target.labels.job,
        health: target.health,
        lastError: target.lastError,
        lastScrapeMillis: Date.parse(target.lastScrape),
      }));
    },
    stop,
  };
}
