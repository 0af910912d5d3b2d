// `npm run bench` in this package: the openai benchmark, then the Realtime one, each given this
// script's arguments (`npm run bench -- --quick`). Exits non-zero when either did.
import { spawnSync } from 'node:child_process';

let failed = false;
for (const script of ['openai.bench.mjs', 'realtime.bench.mjs']) {
  const { status, signal } = spawnSync(process.execPath, [script, ...process.argv.slice(2)], {
    cwd: new URL('.', import.meta.url),
    stdio: 'inherit',
  });
  if (status !== 0) {
    console.error(`${script} ended with ${signal ?? `exit code ${status}`}`);
    failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
