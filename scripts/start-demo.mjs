// `npm start`: builds the packages, then runs the demo with the flags given after `--`
// (`npm start -- --duration 30`). The demo runs directly under this script, not through a second
// npm: a nested npm took those flags as its own and failed (exit 2).
// VA_SKIP_BUILD=1 skips the build, for a caller that has just built (tests, CI).

import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const demoDir = join(root, 'examples/voice-agent');

if (process.env.VA_SKIP_BUILD !== '1') {
  const build = spawnSync('npx', ['--no-install', 'turbo', 'run', 'build', '--output-logs=errors-only'], {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

// The same command as examples/voice-agent's `start` script.
const demo = spawn(
  process.execPath,
  [
    '--require',
    './src/service-name.js',
    '--require',
    '@va/otel-register',
    'src/main.js',
    ...process.argv.slice(2),
  ],
  { cwd: demoDir, stdio: 'inherit' },
);
// Passed on, so `kill <pid>` of npm or of this script stops the demo too. A terminal's Ctrl-C
// reaches the demo directly as well; it counts one key press delivered twice once.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => demo.kill(signal));
demo.on('exit', (code, signal) => process.exit(code ?? 128 + (signal === 'SIGINT' ? 2 : 15)));
