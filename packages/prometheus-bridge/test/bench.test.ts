// The benchmark's smoke run for CI: it runs, compares the three renderers, and prints its table. No
// figure is checked here (timings belong to the benchmark, not to a test).

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = existsSync(join(packageRoot, 'dist/esm/index.js'));

function runBench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(packageRoot, 'bench/serializer.bench.mjs'), ...args],
      { cwd: packageRoot, timeout: 60_000, maxBuffer: 16 * 2 ** 20 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('benchmark', () => {
  it.runIf(built)(
    'runs with --quick and prints a table with all three renderers, in both formats',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'bridge-bench-'));
      try {
        const out = join(dir, 'run.md');
        const { code, stdout, stderr } = await runBench(['--quick', '--out', out]);
        expect(stderr).not.toMatch(/Error/);
        expect(code).toBe(0);
        expect(stdout).toContain('| series | variant | wall ms (median) |');
        for (const variant of [
          '| ours: bridge.render()',
          '| ours: GET /metrics (collect + serialize, streamed)',
          '| ours: GET /metrics, gzip',
          '| ours: GET /metrics as Prometheus asks (OpenMetrics, streamed)',
          '| ours: GET /metrics as Prometheus asks (OpenMetrics), gzip',
          '| upstream: PrometheusSerializer',
          '| prom-client: registry.metrics() |',
          '| prom-client: registry.metrics() in OpenMetrics',
        ]) {
          expect(stdout).toContain(variant);
        }
        const report = readFileSync(out, 'utf8');
        expect(report).toContain('- machine: ');
        expect(report).toContain('- command: `');
        expect(stdout).toContain(report.trim());
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
