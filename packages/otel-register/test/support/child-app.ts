import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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
