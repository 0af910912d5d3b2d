import { resourceFromAttributes } from '@opentelemetry/resources';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PrometheusBridge } from '../src/index.js';
import { type CapturedLog, captureDiag, type Setup, setup } from './helpers.js';

let current: Setup | undefined;
let diagCapture: { logs: CapturedLog[]; restore: () => void } | undefined;

afterEach(async () => {
  await current?.provider.shutdown().catch(() => {});
  current = undefined;
  diagCapture?.restore();
  diagCapture = undefined;
});

function use(s: Setup): Setup {
  current = s;
  return s;
}

describe('PrometheusBridge', () => {
  it('renders with no prefix, with target_info and scope labels by default', async () => {
    const s = use(setup({}, { resource: resourceFromAttributes({ 'service.name': 'demo' }) }));
    s.provider.getMeter('@va/demo', '1.0.0').createCounter('voice.turns', { description: 'Turns.' }).add(2);
    expect(await s.bridge.render()).toBe(
      [
        '# HELP target_info Target metadata',
        '# TYPE target_info gauge',
        'target_info{service_name="demo"} 1',
        '# HELP voice_turns_total Turns.',
        '# TYPE voice_turns_total counter',
        'voice_turns_total{otel_scope_name="@va/demo",otel_scope_version="1.0.0"} 2',
        '',
      ].join('\n'),
    );
  });

  it('honours prefix, withTargetInfo and withScopeLabels', async () => {
    const s = use(
      setup(
        { prefix: 'app', withTargetInfo: false, withScopeLabels: false },
        { resource: resourceFromAttributes({ 'service.name': 'demo' }) },
      ),
    );
    s.provider.getMeter('m').createCounter('jobs').add(1);
    expect(await s.bridge.render()).toBe('# TYPE app_jobs_total counter\napp_jobs_total 1\n');
  });

  it('is always cumulative', async () => {
    const s = use(setup({ withScopeLabels: false }));
    const counter = s.provider.getMeter('m').createCounter('jobs');
    counter.add(1);
    await s.bridge.render();
    counter.add(2);
    expect(await s.bridge.render()).toBe('# TYPE jobs_total counter\njobs_total 3\n');
  });

  it('reports health with the counts of the last render', async () => {
    const s = use(setup());
    expect(s.bridge.health()).toEqual({
      status: 'healthy',
      prefix: '',
      metrics: { counters: 0, gauges: 0, histograms: 0 },
      series: 0,
      lastScrape: { at: null, durationMs: 0, bytes: 0, errors: 0 },
    });
    const meter = s.provider.getMeter('m');
    meter.createCounter('a').add(1, { k: '1' });
    meter.createCounter('a').add(1, { k: '2' });
    meter.createUpDownCounter('b').add(1);
    meter.createHistogram('c').record(1);
    meter.createHistogram('d').record(1);
    const before = Date.now();
    const text = await s.bridge.render();
    const health = s.bridge.health();
    expect(health).toEqual({
      status: 'healthy',
      prefix: '',
      metrics: { counters: 1, gauges: 1, histograms: 2 },
      series: 5,
      lastScrape: {
        at: expect.any(String),
        durationMs: expect.any(Number),
        bytes: Buffer.byteLength(text),
        errors: 0,
      },
    });
    expect(Date.parse(health.lastScrape.at ?? '')).toBeGreaterThanOrEqual(before - 1);
    expect(health.lastScrape.durationMs).toBeGreaterThanOrEqual(0);
    expect(JSON.parse(JSON.stringify(health))).toEqual(health);
  });

  it('renders what was collected when a callback throws, logs it, and reports degraded health', async () => {
    diagCapture = captureDiag();
    const s = use(setup({ withScopeLabels: false }));
    const meter = s.provider.getMeter('m');
    meter.createObservableGauge('broken').addCallback(() => {
      throw new Error('callback failed');
    });
    meter.createCounter('fine').add(1);
    expect(await s.bridge.render()).toBe(
      [
        '# TYPE fine_total counter',
        'fine_total 1',
        '# 1 collection error(s): see the diag log; the rest is complete',
        '',
      ].join('\n'),
    );
    expect(s.bridge.health().status).toBe('degraded');
    expect(s.bridge.health().lastScrape.errors).toBe(1);
    const errors = diagCapture.logs.filter((log) => log.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain('callback failed');
  });

  it('shares one collection between concurrent renders', async () => {
    const s = use(setup({ withScopeLabels: false }));
    s.provider.getMeter('m').createCounter('jobs').add(1);
    const collect = vi.spyOn(s.bridge, 'collect');
    const [first, second, third] = await Promise.all([
      s.bridge.render(),
      s.bridge.render(),
      s.bridge.render(),
    ]);
    expect(collect).toHaveBeenCalledTimes(1);
    expect(first).toBe('# TYPE jobs_total counter\njobs_total 1\n');
    expect(second).toBe(first);
    expect(third).toBe(first);
    await s.bridge.render();
    expect(collect).toHaveBeenCalledTimes(2);
  });

  it('renders large collections in slices, letting timers run in between', async () => {
    // A slice budget of 0 yields after every step, so the test does not depend on how fast this machine renders.
    const s = use(setup({ cardinalitySelector: () => 5000, renderSliceMillis: 0 }));
    const histogram = s.provider.getMeter('m').createHistogram('big', { unit: 's' });
    for (let i = 0; i < 4000; i++) histogram.record(i / 1000, { route: `/route/${i}`, method: 'GET' });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    try {
      const text = await s.bridge.render();
      expect(text.split('\n').filter((line) => line.includes('_count{')).length).toBe(4000);
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThan(0);
  });

  it('resolves forceFlush, stops its server on shutdown, and rejects render afterwards', async () => {
    const s = use(setup({ host: '127.0.0.1', port: 0 }));
    await s.bridge.startServer();
    expect(s.bridge.port).toBeGreaterThan(0);
    await s.bridge.forceFlush();
    await s.provider.shutdown();
    expect(s.bridge.port).toBeUndefined();
    expect(s.bridge.address).toBeUndefined();
    await expect(s.bridge.render()).rejects.toThrow();
  });

  it('rejects render when no MeterProvider uses it', async () => {
    const bridge = new PrometheusBridge({ preventServerStart: true });
    await expect(bridge.render()).rejects.toThrow();
  });

  it('warns about an invalid port and uses the default', () => {
    diagCapture = captureDiag();
    const bridge = new PrometheusBridge({ preventServerStart: true, port: 70_000 });
    expect(bridge.port).toBeUndefined();
    expect(diagCapture.logs.map((log) => log.message)).toEqual([
      '@va/prometheus-bridge invalid port 70000: expected an integer 0..65535; using 9464',
    ]);
  });
});
