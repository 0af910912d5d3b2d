import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseExposition, type Sample } from '../../support/exposition.js';

export interface SpanRecord {
  readonly name: string;
  readonly kind: number;
  readonly scope: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
}

export interface HostRun {
  /** What the app reports it did (requests, queries, GCs …), printed with `ready`. */
  readonly summary: Record<string, number>;
  /** /metrics as scraped once the traffic was done; empty when no port was given. */
  readonly samples: Sample[];
  readonly spans: SpanRecord[];
  readonly stderr: string;
  readonly stdout: string;
  readonly exitCode: number | null;
  /** The signal that ended the app, when it did not exit by itself (SIGTERM with no handler of its own). */
  readonly exitSignal: NodeJS.Signals | null;
}

export interface HostRunOptions {
  readonly directory: string;
  readonly nodeArguments: readonly string[];
  readonly entry: string;
  readonly environment: Record<string, string>;
  /** Where the register serves /metrics; scraped after the traffic when given. */
  readonly metricsPort?: number;
  /** Awaited once the app is ready, before the scrape: e.g. until a tracer has sent its spans. */
  readonly afterReady?: () => Promise<void>;
  readonly timeoutMillis?: number;
}

/** Runs the installed fixture app once: waits for `ready`, scrapes, stops it with SIGTERM, reads its spans. */
export async function runHostApp(options: HostRunOptions): Promise<HostRun> {
  const spansFile = join(options.directory, `spans-${process.pid}-${Date.now()}.jsonl`);
  rmSync(spansFile, { force: true });
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--require', './gc-counter.cjs', ...options.nodeArguments, options.entry],
    {
      cwd: options.directory,
      env: { PATH: process.env.PATH ?? '', SPANS_FILE: spansFile, ...options.environment },
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
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const killer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMillis ?? 60_000);
  try {
    const deadline = Date.now() + (options.timeoutMillis ?? 60_000);
    const readyLine = (): RegExpExecArray | null => /^ready (\{.*\})$/m.exec(stdout);
    let ready = readyLine();
    for (; ready === null; ready = readyLine()) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`the app did not get ready\nstdout: ${stdout}\nstderr: ${stderr}`);
      }
      await new Promise((done) => setTimeout(done, 25));
    }
    const summary = JSON.parse(ready[1]!) as Record<string, number>;
    await options.afterReady?.();
    let samples: Sample[] = [];
    if (options.metricsPort !== undefined) {
      const response = await fetch(`http://127.0.0.1:${options.metricsPort}/metrics`);
      samples = parseExposition(await response.text());
    }
    child.kill('SIGTERM');
    const { code: exitCode, signal: exitSignal } = await exited;
    const spans = existsSync(spansFile)
      ? readFileSync(spansFile, 'utf8')
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => JSON.parse(line) as SpanRecord)
      : [];
    return { summary, samples, spans, stderr, stdout, exitCode, exitSignal };
  } finally {
    clearTimeout(killer);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(spansFile, { force: true });
  }
}

/**
 * The spans as a sorted list of `scope name kind ← parent`, the parent named the same way (`root`
 * without one, `remote` for a parent outside the file): comparable across runs, whose ids differ.
 */
export function spanShape(spans: readonly SpanRecord[]): string[] {
  return spanTreeShape(spans, (span) => `${span.scope} ${span.name} kind=${span.kind}`);
}

/** A span of any tracer, reduced to what its tree needs: no parent id for a root. */
export interface SpanNode {
  readonly spanId: string;
  readonly parentSpanId?: string;
}

/** spanShape for the spans of any tracer, each named by `label`. */
export function spanTreeShape<T extends SpanNode>(spans: readonly T[], label: (span: T) => string): string[] {
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  return spans
    .map((span) => {
      if (span.parentSpanId === undefined) return `${label(span)} <- root`;
      const parent = byId.get(span.parentSpanId);
      return `${label(span)} <- ${parent === undefined ? 'remote' : label(parent)}`;
    })
    .sort();
}

/** The sum of the samples named `name` whose labels include `labels`. */
export function total(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter(
      (sample) =>
        sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
    )
    .reduce((sum, sample) => sum + sample.value, 0);
}

/** Lines of a stack trace, or the API's own error lines: none may appear when the register starts. */
export function errorLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => /^\s+at\s|Error:|error/i.test(line))
    .map((line) => line.slice(0, 300))
    .slice(0, 8);
}
