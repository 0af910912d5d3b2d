import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';

export interface ChildApp {
  readonly process: ChildProcess;
  /** Everything the app wrote to stderr so far (diag warnings land here). */
  stderr(): string;
  stdout(): string;
  /** Sends a signal and resolves with how the process ended and how long it took. */
  stop(
    signal?: NodeJS.Signals,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null; millis: number }>;
}

export const FIXTURES = fileURLToPath(new URL('../fixtures', import.meta.url));

/**
 * Starts `node <nodeArguments> <fixture>` and waits until the app prints `ready` on stdout.
 * The child gets a bounded time to start; whatever happens, `stop()` kills it.
 */
export async function startChildApp(
  fixture: string,
  nodeArguments: string[],
  environment: Record<string, string>,
  startTimeoutMillis = 20_000,
): Promise<ChildApp> {
  const child = spawn(process.execPath, [...nodeArguments, resolve(FIXTURES, fixture)], {
    cwd: FIXTURES,
    env: { PATH: process.env.PATH ?? '', OTEL_LOG_LEVEL: 'warn', ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = once(child, 'exit');
  const app: ChildApp = {
    process: child,
    stderr: () => stderr,
    stdout: () => stdout,
    async stop(signal = 'SIGTERM') {
      const started = Date.now();
      if (child.exitCode !== null || child.signalCode !== null) {
        return { code: child.exitCode, signal: child.signalCode, millis: 0 };
      }
      child.kill(signal);
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const [code, endSignal] = (await exited) as [number | null, NodeJS.Signals | null];
      clearTimeout(killer);
      return { code, signal: endSignal, millis: Date.now() - started };
    },
  };
  const deadline = Date.now() + startTimeoutMillis;
  while (!/^ready\b/m.test(stdout)) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${fixture} exited before it was ready\nstdout: ${stdout}\nstderr: ${stderr}`);
    }
    if (Date.now() > deadline) {
      await app.stop('SIGKILL');
      throw new Error(
        `${fixture} was not ready within ${startTimeoutMillis} ms\nstdout: ${stdout}\nstderr: ${stderr}`,
      );
    }
    await new Promise((done) => setTimeout(done, 25));
  }
  return app;
}

export async function httpGet(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.text() };
}

export interface RegisteredApp {
  readonly app: ChildApp;
  /** `http://127.0.0.1:<port>` of the app's own server (from its `ready <port>` line). */
  readonly appUrl: string;
  readonly metricsPort: number;
}

/**
 * Starts a fixture under the register (`--require`, or `--import` for ES modules) with the metrics
 * server on a free loopback port, so tests never collide with each other or with a real :9464.
 */
export async function startRegisteredApp(
  fixture: string,
  environment: Record<string, string> = {},
  loader: '--require' | '--import' = '--require',
): Promise<RegisteredApp> {
  const metricsPort = await freePort();
  const app = await startChildApp(fixture, [loader, '@va/otel-register'], {
    APP_PORT: '0',
    OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
    OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
    ...environment,
  });
  const port = /ready (\d+)/.exec(app.stdout())?.[1];
  return { app, appUrl: `http://127.0.0.1:${port}`, metricsPort };
}
