import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import type { MergeSource } from '../src/exports/cluster.js';
import { PrometheusBridge } from '../src/index.js';
import { type CapturedLog, captureDiag } from './helpers.js';

let diagCapture: { logs: CapturedLog[]; restore: () => void } | undefined;
let provider: MeterProvider | undefined;
afterEach(async () => {
  await provider?.shutdown();
  provider = undefined;
  diagCapture?.restore();
  diagCapture = undefined;
});

function bridgeWith(mergeSource: MergeSource): PrometheusBridge {
  const bridge = new PrometheusBridge({
    preventServerStart: true,
    prefix: '',
    withTargetInfo: false,
    withScopeLabels: false,
    mergeSource,
  });
  provider = new MeterProvider({ readers: [bridge], resource: resourceFromAttributes({}) });
  provider.getMeter('app').createCounter('requests').add(2);
  return bridge;
}

describe('the bridge with a merge source', () => {
  it('renders its own collection when the merge source fails, and says why', async () => {
    diagCapture = captureDiag();
    const bridge = bridgeWith(() => {
      throw new Error('boom');
    });
    expect(await bridge.render()).toBe('# TYPE requests_total counter\nrequests_total 2\n');
    const rejecting = bridgeWith(() => Promise.reject(new Error('boom')));
    expect(await rejecting.render()).toBe('# TYPE requests_total counter\nrequests_total 2\n');
    expect(diagCapture.logs.map((log) => log.message)).toEqual([
      expect.stringContaining('could not collect the metrics of other processes'),
      expect.stringContaining('could not collect the metrics of other processes'),
    ]);
  });

  it('renders its own collection alone when the source has no other processes', async () => {
    const bridge = bridgeWith(async () => undefined);
    expect(await bridge.render()).toBe('# TYPE requests_total counter\nrequests_total 2\n');
  });

  it('adds what the source returns to its own collection, and counts it in health()', async () => {
    // Another "process": its own provider and reader.
    const other = new PrometheusBridge({ preventServerStart: true });
    const otherProvider = new MeterProvider({ readers: [other], resource: resourceFromAttributes({}) });
    otherProvider.getMeter('app').createCounter('requests').add(5);
    otherProvider.getMeter('app').createUpDownCounter('active').add(3);
    const { resourceMetrics } = await other.collect();
    await otherProvider.shutdown();

    const bridge = bridgeWith(async () => [
      { pid: 7, live: true, scopeMetrics: resourceMetrics.scopeMetrics },
    ]);
    expect(await bridge.render()).toBe(
      '# TYPE requests_total counter\nrequests_total 7\n# TYPE active gauge\nactive 3\n',
    );
    expect(bridge.health()).toMatchObject({ metrics: { counters: 1, gauges: 1, histograms: 0 }, series: 2 });
  });
});
