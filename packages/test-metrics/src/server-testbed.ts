import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { TestMetrics } from './index.js';

/** What a server shared by a block of tests must offer: forgetting what it saw, and closing. */
export interface ResettableServer {
  reset(): void;
  close(): Promise<void>;
}

/** A server for the whole block and fresh metrics for each test. */
export interface ServerTestbed<Server extends ResettableServer> {
  /** Started before the block, reset before each test, closed after the block. */
  readonly server: Server;
  /** A MeterProvider of its own for each test, shut down after it. */
  readonly metrics: TestMetrics;
  /** Shuts the test's metrics down and starts afresh, for a test that measures in two parts. */
  renewMetrics(): Promise<void>;
}

/**
 * Sets the server and the metrics up inside the calling `describe` block (its hooks belong to that block),
 * so the testbeds of the instrumentation packages share one lifecycle instead of a copy each.
 */
export function useServerTestbed<Server extends ResettableServer>(
  start: () => Promise<Server>,
): ServerTestbed<Server> {
  let server: Server | undefined;
  let metrics: TestMetrics | undefined;

  beforeAll(async () => {
    server = await start();
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(() => {
    server?.reset();
    metrics = new TestMetrics();
  });
  afterEach(async () => {
    await metrics?.shutdown();
  });

  return {
    get server() {
      if (server === undefined) throw new Error('the testbed server is used before beforeAll');
      return server;
    },
    get metrics() {
      if (metrics === undefined) throw new Error('the testbed metrics are used before beforeEach');
      return metrics;
    },
    async renewMetrics() {
      await metrics?.shutdown();
      metrics = new TestMetrics();
    },
  };
}
