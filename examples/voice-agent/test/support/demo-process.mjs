// The demo as the tests start it: a child process on its embedded defaults, whatever the developer's
// shell has set, its output kept.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** `npm start`'s preloads: the demo's service name, then the register. */
export const START_PRELOADS = ['--require', './src/service-name.js', '--require', '@va/otel-register'];

/** Shell variables that would take the demo off its defaults: the bundled LLM, PostgreSQL, Prometheus. */
const SHELL_OVERRIDES = [
  'OPENAI_API_KEY',
  'OPENAI_BASE_URL',
  'DATABASE_URL',
  'OTEL_SDK_DISABLED',
  'OTEL_METRICS_EXPORTER',
  'OTEL_SERVICE_NAME',
  'OTEL_SEMCONV_STABILITY_OPT_IN',
];

/**
 * Starts `node <args>` in the demo's folder with this process's environment less SHELL_OVERRIDES,
 * plus `env`. Returns { child, output (all of stdout and stderr so far), exited (its code and signal) }.
 */
export function spawnDemo(args, env = {}, { detached = false } = {}) {
  const childEnv = { ...process.env };
  for (const name of SHELL_OVERRIDES) delete childEnv[name];
  const child = spawn(process.execPath, args, {
    cwd: exampleDir,
    env: { ...childEnv, ...env },
    detached,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  return {
    child,
    get output() {
      return output;
    },
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
  };
}
