import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { parseExposition, samplesOf } from '@va/test-metrics/exposition';
import { freePort } from '@va/test-metrics/free-port';
import { afterEach, expect, it } from 'vitest';
import { describeInstalled } from './support/describe-installed.js';
import { REGISTRY, type UserApp } from './support/user-app.js';

const REQUESTS = 3;

const LOADERS = [
  ['--require', 'server.js'],
  ['--import', 'server.mjs'],
] as const;

const started: ChildProcess[] = [];

afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** `node <flag> @va/otel-register <app>` in the app's folder, /metrics on `metricsPort`, until it says `ready <port>`. */
async function startUnderRegister(
  app: UserApp,
  flag: string,
  entry: string,
  metricsPort: number,
): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  const child = spawn(process.execPath, [flag, '@va/otel-register', entry], {
    cwd: app.directory,
    env: {
      PATH: process.env.PATH ?? '',
      OTEL_SERVICE_NAME: 'user-app',
      OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
      OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let output = '';
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
  }
  const deadline = Date.now() + 20_000;
  let ready = /^ready (\d+)$/m.exec(output);
  while (ready === null) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`${entry} did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
    ready = /^ready (\d+)$/m.exec(output);
  }
  return { child, port: Number(ready[1]), output: () => output };
}

describeInstalled('@va/otel-register', REGISTRY.api, (app) => {
  it.each(LOADERS)(
    'node %s @va/otel-register %s: its start line, the exact request count on /metrics, and a prompt exit on SIGTERM',
    async (flag, entry) => {
      const metricsPort = await freePort();
      const { child, port, output } = await startUnderRegister(app(), flag, entry, metricsPort);
      for (let index = 0; index < REQUESTS; index++) {
        expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('hello');
      }

      const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(response.status).toBe(200);
      const samples = parseExposition(await response.text());
      expect(
        samplesOf(samples, 'voice_agent_http_server_request_duration_seconds_count').map(
          ({ labels, value }) => ({
            labels,
            value,
          }),
        ),
      ).toEqual([
        {
          labels: {
            http_request_method: 'GET',
            url_scheme: 'http',
            network_protocol_version: '1.1',
            http_response_status_code: '200',
            otel_scope_name: '@va/otel-register',
            otel_scope_version: '0.1.0',
          },
          value: REQUESTS,
        },
      ]);
      expect(samplesOf(samples, 'target_info')[0]?.labels.service_name).toBe('user-app');
      expect(output()).toMatch(
        new RegExp(
          `^@va/otel-register metrics: prometheus on http://127\\.0\\.0\\.1:${metricsPort}/metrics; `,
          'm',
        ),
      );

      const stoppedAt = Date.now();
      child.kill('SIGTERM');
      const [code, signal] = await once(child, 'exit');
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      expect(Date.now() - stoppedAt).toBeLessThan(2_000);
    },
  );
});
