// OTEL_EXPORTER_PROMETHEUS_PORT=0 lets the register's server take any free port: the banner must show
// the one it took, and that one must answer /metrics.

import { expect, test } from 'vitest';
import { spawnDemo } from './support/demo-process.mjs';

const READY_WITHIN_MS = 60_000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('the banner shows the metrics port bound for OTEL_EXPORTER_PROMETHEUS_PORT=0', async () => {
  const demo = spawnDemo(
    ['--require', '@va/otel-register', 'src/main.js', '--duration', '30', '--no-traffic'],
    { PORT: '0', OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1', OTEL_EXPORTER_PROMETHEUS_PORT: '0' },
  );
  const { child, exited } = demo;
  try {
    const startedAt = Date.now();
    while (!/^ready \d+$/m.test(demo.output)) {
      if (child.exitCode !== null) throw new Error(`the demo exited before it was ready:\n${demo.output}`);
      if (Date.now() - startedAt > READY_WITHIN_MS) throw new Error(`never ready:\n${demo.output}`);
      await sleep(100);
    }
    const shown = demo.output.split('\n').filter((line) => line.startsWith('  metrics '));
    expect(shown).toHaveLength(1);
    const port = Number(/^ {2}metrics {4}http:\/\/127\.0\.0\.1:(\d+)\/metrics$/.exec(shown[0])?.[1]);
    expect(port).toBeGreaterThan(0);
    expect(demo.output).toContain(`change its target localhost:9464 to localhost:${port}`);
    // The register's own start line names the same port.
    expect(demo.output).toContain(
      `@va/otel-register metrics: prometheus on http://127.0.0.1:${port}/metrics;`,
    );
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(response.status).toBe(200);
    // The demo's own metrics: its database pool.
    expect(await response.text()).toContain('voice_agent_db_client_connection_max{');
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  }
});
