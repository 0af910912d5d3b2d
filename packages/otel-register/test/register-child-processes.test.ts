import { afterEach, describe, expect, it } from 'vitest';
import { httpGet, type RegisteredApp, startRegisteredApp } from './support/child-app.js';
import { parseExposition, samplesOf } from './support/exposition.js';
import { total } from './support/realtime-usage.js';

// An app under `node --require @va/otel-register` that forks child processes (test/fixtures/forked-children-app.cjs),
// which run the register too: they serve no port of their own, the parent's scrape carries their metrics
// merged, and their IPC channel stays the app's alone. (LiveKit Agents' job processes are such children:
// register-livekit.test.ts.)

const JOBS = 'voice_agent_app_jobs_total';

describe('child processes of an app under the register', () => {
  let started: RegisteredApp | undefined;

  afterEach(async () => {
    await started?.app.stop('SIGKILL');
    started = undefined;
  });

  async function scrape(app: RegisteredApp) {
    const { status, body } = await httpGet(`http://127.0.0.1:${app.metricsPort}/metrics`);
    expect(status).toBe(200);
    return parseExposition(body);
  }

  async function control(app: RegisteredApp, path: string) {
    const { status, body } = await httpGet(`${app.appUrl}${path}`);
    expect(status).toBe(200);
    return JSON.parse(body) as { firstMessages: string[]; shortExit: number | null };
  }

  it("serves the children's metrics from the parent's port, merged, and keeps an exited child's counters", async () => {
    started = await startRegisteredApp('forked-children-app.cjs');
    const app = started;
    await control(app, '/job?child=0&count=2');
    await control(app, '/job?child=1&count=5');
    const merged = samplesOf(await scrape(app), JOBS);
    expect(merged.map((sample) => sample.value)).toEqual([7]);

    // Gone: what it answered last stays in the total, so the counter never goes back.
    await control(app, '/exit?child=0');
    expect(total(await scrape(app), JOBS)).toBe(7);
    await control(app, '/job?child=1&count=1');
    expect(total(await scrape(app), JOBS)).toBe(8);

    // The children asked for no port: no warning about one in use.
    expect(app.app.stderr()).not.toMatch(/EADDRINUSE|could not start the Prometheus/);
  });

  it("leaves the children's IPC channel to the app, and holds no child open", async () => {
    started = await startRegisteredApp('forked-children-app.cjs');
    // Each job process's first message was its parent's, and its own first answer reached the parent first.
    const status = await control(started, '/');
    expect(status.firstMessages).toEqual(['ready', 'ready']);
    // The process that finished its work ended by itself, connected to its parent and to the parent's hub.
    for (let waited = 0; waited < 5_000 && (await control(started, '/')).shortExit === null; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await control(started, '/')).shortExit).toBe(0);
  });

  it('VA_CLUSTER_METRICS=false: every process serves its own, the children find the port taken', async () => {
    started = await startRegisteredApp('forked-children-app.cjs', { VA_CLUSTER_METRICS: 'false' });
    await control(started, '/job?child=0&count=2');
    expect(samplesOf(await scrape(started), JOBS)).toEqual([]);
    expect(started.app.stderr()).toMatch(/EADDRINUSE/);
  });
});
