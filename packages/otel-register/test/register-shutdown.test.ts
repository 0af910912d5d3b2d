import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ChildApp, FIXTURES, startChildApp } from './support/child-app.js';

/** The value of one counter in an OTLP http/json body, or undefined when the body does not carry it. */
function counterIn(body: string, name: string): number | undefined {
  const parsed = JSON.parse(body) as {
    resourceMetrics: Array<{
      scopeMetrics: Array<{
        metrics: Array<{ name: string; sum?: { dataPoints: Array<{ asInt?: string; asDouble?: number }> } }>;
      }>;
    }>;
  };
  const metric = parsed.resourceMetrics
    .flatMap((resource) => resource.scopeMetrics)
    .flatMap((scope) => scope.metrics)
    .find((candidate) => candidate.name === name);
  const point = metric?.sum?.dataPoints[0];
  return point === undefined ? undefined : Number(point.asInt ?? point.asDouble);
}

describe('SIGTERM with a push exporter', () => {
  let app: ChildApp | undefined;
  let receiver: Server | undefined;
  afterEach(async () => {
    await app?.stop('SIGKILL');
    app = undefined;
    receiver?.closeAllConnections();
    await new Promise((done) => (receiver ? receiver.close(done) : done(undefined)));
    receiver = undefined;
  });

  it('pushes the final export to OTLP, then dies of the signal within 2 s', async () => {
    const bodies: string[] = [];
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        bodies.push(Buffer.concat(chunks).toString('utf8'));
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    receiver.listen(0, '127.0.0.1');
    await once(receiver, 'listening');
    const { port } = receiver.address() as AddressInfo;

    app = await startChildApp('otlp-counter-app.cjs', ['--require', '@va/otel-register'], {
      OTEL_METRICS_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    });
    // The interval is the default 60 s: nothing has been pushed yet.
    expect(bodies).toEqual([]);

    const ended = await app.stop('SIGTERM');
    expect(ended).toMatchObject({ code: null, signal: 'SIGTERM' });
    expect(ended.millis).toBeLessThan(2_000);
    expect(bodies.map((body) => counterIn(body, 'app.demo.jobs'))).toEqual([7]);
    expect(app.stderr()).toBe('');
  });
});

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the crash fixture to its end (15 s at most), with or without the register. */
async function runCrashApp(crash: 'throw' | 'reject', registered: boolean): Promise<Ended> {
  const child = spawn(
    process.execPath,
    [...(registered ? ['--require', '@va/otel-register'] : []), resolve(FIXTURES, 'crash-app.cjs')],
    {
      cwd: FIXTURES,
      env: {
        PATH: process.env.PATH ?? '',
        CRASH: crash,
        OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
        OTEL_EXPORTER_PROMETHEUS_PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  clearTimeout(killer);
  return { code, signal, stdout, stderr };
}

describe('a crash in the app under --require @va/otel-register', () => {
  it.each([
    ['an uncaught exception', 'throw', 'chargeCard'],
    ['an unhandled rejection', 'reject', 'Timeout._onTimeout'],
  ] as const)('%s: the same exit code and the same stack as without us', async (_, crash, frame) => {
    const without = await runCrashApp(crash, false);
    const withUs = await runCrashApp(crash, true);
    expect(without.code).toBe(1);
    expect(without.stderr).toContain('PaymentGatewayError: the card gateway said no');
    expect(without.stderr).toContain(`at ${frame} (${resolve(FIXTURES, 'crash-app.cjs')}`);
    // The register's start line (info, on stdout) is the only difference allowed.
    const startLine = /^@va\/otel-register metrics: .*\n/m;
    expect(withUs.stdout).toMatch(startLine);
    expect({ ...withUs, stdout: withUs.stdout.replace(startLine, '') }).toEqual(without);
  });
});
