// CI smoke for the benchmarks: each runs with --quick in a child process and must exit 0 with every
// variant in its table. Nothing here is timed: the figures of a --quick run mean nothing.
import { execFile } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';

const BENCH = new URL('..', import.meta.url);
const started = new Set();

/** `node script --quick` in bench/; resolves with its exit code and output whatever the code. */
function runQuick(script, timeoutMillis) {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [script, '--quick'],
      { cwd: BENCH, timeout: timeoutMillis, killSignal: 'SIGTERM', maxBuffer: 16 * 2 ** 20 },
      (error, stdout, stderr) => {
        started.delete(child);
        resolve({ code: error ? (error.code ?? error.signal) : 0, stdout, stderr });
      },
    );
    started.add(child);
  });
}

afterAll(() => {
  // A bench killed on SIGTERM kills its own servers; SIGKILL is for one that did not stop.
  for (const child of started) child.kill('SIGKILL');
});

describe('benchmarks, --quick', () => {
  it('http: exits 0, and every variant recorded what it was sent', async () => {
    const { code, stdout, stderr } = await runQuick('http/http.bench.mjs', 45_000);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('### hello-world `node:http`');
    expect(stdout).toMatch(/^\| bare \| [\d,]+ \| 1\.00 \|/m);
    expect(stdout).toMatch(
      /^\| ours: `--require @va\/otel-register` \| [\d,]+ \| [\d.]+ \|.*\| recorded [\d,]+ of [\d,]+ \|/m,
    );
  });

  it('cardinality: exits 0, with every scenario and its series counts', async () => {
    const { code, stdout, stderr } = await runQuick('cardinality/cardinality.bench.mjs', 45_000);
    expect(code, stderr).toBe(0);
    for (const scenario of ['### `gen_ai.request.model`', '### `http.route`', '### control']) {
      expect(stdout).toContain(scenario);
    }
    expect(stdout).toContain('final series of `voice_agent_gen_ai_client_operation_duration_seconds`');
    expect(stdout).toContain('final series of `voice_agent_http_server_request_duration_seconds`');
    expect(stdout.match(/^\| 20,000 \|/gm)).toHaveLength(3);
  });

  it('soak: exits 0, every request and turn recorded exactly once, with the flatness table', async () => {
    const { code, stdout, stderr } = await runQuick('soak/soak.bench.mjs', 55_000);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('# Soak: a long run at a fixed, moderate load');
    expect(stdout).toContain('every answer as expected');
    expect(stdout).toMatch(
      /voice turns, [\d,]+ LLM calls, [\d,]+ Postgres queries, each recorded exactly once/,
    );
    expect(stdout).toContain('exited on SIGTERM: yes');
    for (const row of ['RSS MiB (after GC)', 'heapUsed MiB (after GC)', 'series (sample lines)']) {
      expect(stdout).toContain(`| ${row} |`);
    }
  });
});
