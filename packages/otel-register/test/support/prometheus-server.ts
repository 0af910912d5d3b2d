import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from './free-port.js';

/**
 * Where the Prometheus server binary is: PROMETHEUS_BIN, else `prometheus` on PATH (Debian's
 * package installs /usr/bin/prometheus). Undefined when there is none.
 */
export function findPrometheus(): string | undefined {
  const candidates = [process.env.PROMETHEUS_BIN, 'prometheus'].filter((name): name is string => !!name);
  for (const candidate of candidates) {
    try {
      execFileSync(candidate, ['--version'], { stdio: 'ignore', timeout: 10_000 });
      return candidate;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

/**
 * Where promtool is: PROMTOOL_BIN, beside PROMETHEUS_BIN, else `promtool` on PATH (the same Debian
 * package installs both). Undefined when there is none.
 */
export function findPromtool(): string | undefined {
  const prometheusBin = process.env.PROMETHEUS_BIN;
  const candidates = [
    process.env.PROMTOOL_BIN,
    prometheusBin ? join(dirname(prometheusBin), 'promtool') : undefined,
    'promtool',
  ].filter((name): name is string => !!name);
  for (const candidate of candidates) {
    try {
      execFileSync(candidate, ['--version'], { stdio: 'ignore', timeout: 10_000 });
      return candidate;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

/**
 * True when the end-to-end tests must not be skipped for want of Prometheus: in CI they fail
 * instead, so a missing install step cannot turn into a green run that proved nothing.
 */
export const prometheusRequired =
  process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';

export interface PrometheusServer {
  readonly url: string;
  /** An instant query through the HTTP API; returns the result vector. */
  query(expression: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>>;
  stop(): Promise<void>;
}

/**
 * Starts Prometheus scraping `targets` as job `app`; or, given `scrapeConfigs` (the YAML list under
 * `scrape_configs:`, indented by two spaces), those jobs instead.
 */
export async function startPrometheus(
  binary: string,
  targets: string[],
  scrapeIntervalSeconds = 1,
  scrapeConfigs?: string,
): Promise<PrometheusServer> {
  const directory = mkdtempSync(join(tmpdir(), 'va-prometheus-'));
  const configuration = join(directory, 'prometheus.yml');
  writeFileSync(
    configuration,
    [
      'global:',
      `  scrape_interval: ${scrapeIntervalSeconds}s`,
      `  evaluation_interval: ${scrapeIntervalSeconds}s`,
      'scrape_configs:',
      ...(scrapeConfigs !== undefined
        ? [scrapeConfigs]
        : [
            '  - job_name: app',
            '    static_configs:',
            `      - targets: [${targets.map((target) => `'${target}'`).join(', ')}]`,
          ]),
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
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
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
    async query(expression) {
      const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expression)}`);
      const body = (await response.json()) as {
        status: string;
        error?: string;
        data?: {
          resultType: string;
          result: Array<{ metric: Record<string, string>; value: [number, string] }>;
        };
      };
      if (body.status !== 'success') throw new Error(`query failed: ${expression}: ${body.error}`);
      return body.data!.result;
    },
    stop,
  };
}
