import { type StartedServer, startOpenAICompatibleServer } from '@va/openai-compatible-server';
import { useServerTestbed } from '@va/test-metrics/server-testbed';
import type { TestMetrics } from './metrics.js';
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
  const shared = useServerTestbed(startOpenAICompatibleServer);

  return {
    openai,
    get server() {
      return shared.server;
    },
    get metrics() {
      return shared.metrics;
    },
    renewMetrics: shared.renewMetrics,
    plainClient(options = {}) {
      return new openai.OpenAI({ apiKey: 'test', baseURL: this.server.baseURL, maxRetries: 0, ...options });
    },
  };
}
