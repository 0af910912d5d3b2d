import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '../..');

export interface BenchRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one of the package's benchmarks (`bench/<script>`) with `--quick`, as a smoke test does. */
export function runQuickBench(script: string): Promise<BenchRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(packageRoot, 'bench', script), '--quick'],
      { cwd: packageRoot, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({ code: error === null ? 0 : (error.code as number | null), stdout, stderr }),
    );
  });
}
