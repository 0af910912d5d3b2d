// A workspace's `npm run bench`: runs each benchmark script named on the command line in turn, from the
// workspace's folder, giving each the options that follow them (`npm run bench -- --quick`: every
// argument from the first one that starts with `--`). Exits non-zero when any of them did.
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const firstOption = args.findIndex((arg) => arg.startsWith('--'));
const scripts = firstOption === -1 ? args : args.slice(0, firstOption);
const options = firstOption === -1 ? [] : args.slice(firstOption);

let failed = false;
for (const script of scripts) {
  const { status, signal } = spawnSync(process.execPath, [script, ...options], { stdio: 'inherit' });
  if (status !== 0) {
    console.error(`${script} ended with ${signal ?? `exit code ${status}`}`);
    failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
