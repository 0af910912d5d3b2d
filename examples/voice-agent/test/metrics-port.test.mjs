// OTEL_EXPORTER_PROMETHEUS_PORT=0 lets the register's server take any free port: the banner must show
// the one it took, and that one must answer /metrics.

import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const READY_WITHIN_MS = 60_000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('the banner shows the metrics port bound for OTEL_EXPORTER_PROMETHEUS_PORT=0', async () => {
  const env = {
    ...process.env,
    PORT: '0',
    OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
    OTEL_EXPORTER_PROMETHEUS_PORT: '0',
  };
  for (const name of [
    'OPENAI_API_KEY',
    'OPENAI_BASE_URL',
    'DATABASE_URL',
    'OTEL_SDK_DISABLED',
    'OTEL_METRICS_EXPORTER',
  ]) {
    delete env[name];
  }
  const child = spawn(
    process.execPath,
    ['--require', '@va/otel-register', 'src/main.js', '--duration', '30', '--no-traffic'],
    { cwd: exampleDir, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  try {
    const startedAt = Date.now();
    while (!/^ready \d+$/m.test(output)) {
      if (child.exitCode !== null) throw new Error(`the demo exited before it was ready:\n${output}`);
      if (Date.now() - startedAt > READY_WITHIN_MS) throw new Error(`never ready:\n${output}`);
      await sleep(100);
    }
    const shown = output.split('\n').filter((line) => line.startsWith('  metrics '));
    expect(shown).toHaveLength(1);
    const port = Number(/^ {2}metrics {4}http:\/\/127\.0\.0\.1:(\d+)\/metrics$/.exec(shown[0])?.[1]);
    expect(port).toBeGreaterThan(0);
    expect(output).toContain(`change its target localhost:9464 to localhost:${port}`);
    // The register's own start line names the same port.
    expect(output).toContain(`@va/otel-register metrics: prometheus on http://127.0.0.1:${port}/metrics;`);
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(response.status).toBe(200);
    // The demo's own metrics: its database pool.
    expect(await response.text()).toContain('voice_agent_db_client_connection_max{');
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  }
});
