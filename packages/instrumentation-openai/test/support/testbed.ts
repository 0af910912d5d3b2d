import { type StartedServer, startOpenAICompatibleServer } from '@va/openai-compatible-server';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { TestMetrics } from './metrics.js';
import { type AnyOpenAI, loadOpenAI, type OpenAIModule } from './openai-majors.js';

/** What the tests of one openai major share: the package, a local server, fresh metrics per test. */
export interface Testbed {
  readonly openai: OpenAIModule;
  /** The local OpenAI-compatible server, for the whole block; reset before each test. */
  readonly server: StartedServer;
  /** A MeterProvider of its own for each test. */
  readonly metrics: TestMetrics;
  /** An uninstrumented client of the server, with no retries unless `options` asks for them. */
  plainClient(options?: Record<string, unknown>): AnyOpenAI;
  /** Shuts the test's metrics down and starts afresh, for a test that measures in two parts. */
  renewMetrics(): Promise<void>;
}

/** Sets the testbed up inside the calling `describe` block (its hooks belong to that block). */
export function useTestbed(major: number): Testbed {
  const openai = loadOpenAI(major);
  let server: StartedServer | undefined;
  let metrics: TestMetrics | undefined;

  beforeAll(async () => {
    server = await startOpenAICompatibleServer();
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
    openai,
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
    plainClient(options = {}) {
      return new openai.OpenAI({ apiKey: 'test', baseURL: this.server.baseURL, maxRetries: 0, ...options });
    },
  };
}
