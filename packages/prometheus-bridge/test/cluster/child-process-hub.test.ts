import { once } from 'node:events';
import { connect } from 'node:net';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import {
  answerClusterScrapes,
  ChildProcessHub,
  ClusterMetricsPrimary,
  childProcessHubAddress,
  MessageSocket,
  socketPathOf,
} from '../../src/exports/cluster.js';
import { PrometheusBridge } from '../../src/index.js';

// A parent's hub and its children over real local sockets, each child with its own MeterProvider and
// bridge, as in separate processes (packages/otel-register runs them as real forked processes).

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startParent() {
  const hub = new ChildProcessHub();
  const hubAddress = childProcessHubAddress();
  await hub.start(hubAddress);
  const address = socketPathOf(hubAddress);
  const primary = new ClusterMetricsPrimary([hub], { timeoutMillis: 2_000 });
  primary.start();
  const bridge = new PrometheusBridge({
    preventServerStart: true,
    prefix: '',
    withTargetInfo: false,
    withScopeLabels: false,
    mergeSource: () => primary.collect(),
  });
  const provider = new MeterProvider({ readers: [bridge], resource: resourceFromAttributes({}) });
  cleanups.push(
    () => provider.shutdown(),
    () => primary.stop(),
    () => hub.stop(),
  );
  return { hub, address, primary, bridge };
}

async function startChild(address: string) {
  const socket = new MessageSocket(connect(address));
  const bridge = new PrometheusBridge({ preventServerStart: true });
  const provider = new MeterProvider({ readers: [bridge], resource: resourceFromAttributes({}) });
  const requests = provider.getMeter('app').createCounter('requests');
  const responder = answerClusterScrapes(bridge, { endpoint: socket });
  // Welcomed: the hub has its hello.
  await once(socket, 'message');
  cleanups.push(
    () => provider.shutdown(),
    () => responder.stop(),
    () => socket.close(),
  );
  return { socket, responder, add: (count: number) => requests.add(count, { route: '/a' }) };
}

const requestLines = (text: string) => text.split('\n').filter((line) => line.startsWith('requests_total'));

describe('ChildProcessHub', () => {
  it("merges its children's metrics into every scrape and keeps an exited child's counters", async () => {
    const parent = await startParent();
    const first = await startChild(parent.address);
    const second = await startChild(parent.address);
    first.add(3);
    second.add(4);
    expect(requestLines(await parent.bridge.render())).toEqual(['requests_total{route="/a"} 7']);

    // Recorded after the last scrape and pushed just before the child goes away, as a job process does.
    first.add(10);
    await first.responder.push();
    first.socket.close();
    await once(first.socket, 'close');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(requestLines(await parent.bridge.render())).toEqual(['requests_total{route="/a"} 17']);

    second.add(1);
    expect(requestLines(await parent.bridge.render())).toEqual(['requests_total{route="/a"} 18']);
  });

  it('leaves a scrape as it was while no child has connected', async () => {
    const parent = await startParent();
    expect(await parent.bridge.render()).toBe('');
  });

  it('tells its children apart by the pid in their hello, and drops one that says none', async () => {
    const parent = await startParent();
    const seen: unknown[] = [];
    parent.hub.on('message', (handle: { process: { pid?: number }; name?: string }) =>
      seen.push([handle.name, handle.process.pid]),
    );
    await startChild(parent.address);
    const anonymous = new MessageSocket(connect(parent.address));
    cleanups.push(() => anonymous.close());
    anonymous.send({ 'va.metrics': 'hello' }, () => {});
    anonymous.send({ 'va.metrics': 'hello', pid: 'x' }, () => {});
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen).toEqual([['child process', process.pid]]);
  });
});
