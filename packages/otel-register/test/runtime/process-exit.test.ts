// In a child node process of its own: the recorders never keep a process alive, stop() really
// stops the delay sampling, and nothing of @opentelemetry/instrumentation is loaded.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
/** The child's work takes well under a second; a process held open would run into this. */
const EXIT_WITHIN_MILLIS = 15_000;

interface ChildReport {
  collected: string[];
  errors: string[];
  wakeups: { running?: number; stopped?: number };
  loaded: string[];
}

async function runChild(...flags: string[]): Promise<{ code: number | null; report: ChildReport }> {
  const child = spawn(process.execPath, ['record-runtime-metrics.mjs', ...flags], {
    cwd: FIXTURES,
    env: { PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), EXIT_WITHIN_MILLIS);
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  clearTimeout(killer);
  if (signal !== null) throw new Error(`the child did not exit on its own (${signal})\n${stdout}\n${stderr}`);
  const line = stdout.trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !line.startsWith('{'))
    throw new Error(`the child failed (${code})\n${stdout}\n${stderr}`);
  return { code, report: JSON.parse(line) as ChildReport };
}

const ALL = [
  'nodejs.eventloop.delay.max',
  'nodejs.eventloop.delay.mean',
  'nodejs.eventloop.delay.min',
  'nodejs.eventloop.delay.p50',
  'nodejs.eventloop.delay.p90',
  'nodejs.eventloop.delay.p99',
  'nodejs.eventloop.delay.stddev',
  'nodejs.eventloop.time',
  'nodejs.eventloop.utilization',
  'v8js.gc.duration',
  'v8js.memory.heap.space.available_size',
  'v8js.memory.heap.space.physical_size',
  'v8js.memory.heap.space.size',
  'v8js.memory.heap.used',
  'v8js.resource.active',
];

describe('runtime metrics in a process of their own', () => {
  it('never hold the process open: a child that records and never stops exits by itself', async () => {
    const { code, report } = await runChild();
    expect(code).toBe(0);
    expect(report.collected).toEqual(ALL);
    expect(report.errors).toEqual([]);
  });

  it('load nothing of @opentelemetry/instrumentation or require-in-the-middle', async () => {
    const { report } = await runChild();
    expect(report.loaded).toEqual([]);
  });

  it('exit by itself after stop() too', async () => {
    const { code, report } = await runChild('--stop');
    expect(code).toBe(0);
    expect(report.collected).toEqual(ALL);
  });

  // The delay histogram wakes the idle main thread every 10 ms from a timer of Node's own, which
  // no JavaScript API lists; its wakeups are what shows that stop() ended it.
  it.runIf(process.platform === 'linux')(
    'stop() ends the delay sampling: the idle thread stops waking up',
    async () => {
      const { report } = await runChild('--stop', '--count-wakeups');
      // 500 ms at one sample per 10 ms; the stopped loop wakes for its own timer alone.
      expect(report.wakeups.running).toBeGreaterThanOrEqual(25);
      expect(report.wakeups.stopped).toBeLessThanOrEqual(10);
    },
  );
});
