import { type StartedServer, startOpenAICompatibleServer } from '@va/openai-compatible-server';
import { useServerTestbed } from '@va/test-metrics/server-testbed';
import { beforeAll } from 'vitest';
import { loadMajor, type Major } from './ai-majors.js';
import type { TestMetrics } from './metrics.js';

/** What the tests of one `ai` major share: the SDK and its providers, a local server, fresh metrics per test. */
export interface Testbed {
  readonly sdk: Major;
  /** The bundled server, for the whole block; reset before each test. */
  readonly server: StartedServer;
  /** A MeterProvider of its own for each test. */
  readonly metrics: TestMetrics;
  /** Shuts the test's metrics down and starts afresh, for a test that measures in two parts. */
  renewMetrics(): Promise<void>;
}

/** Sets the testbed up inside the calling `describe` block (its hooks belong to that block). */
export function useTestbed(major: number): Testbed {
  let sdk: Major | undefined;
  beforeAll(async () => {
    sdk = await loadMajor(major);
  });
  const shared = useServerTestbed(startOpenAICompatibleServer);

  return {
    get sdk() {
      if (sdk === undefined) throw new Error("the testbed's SDK is used before its hook ran");
      return sdk;
    },
    get server() {
      return shared.server;
    },
    get metrics() {
      return shared.metrics;
    },
    renewMetrics: shared.renewMetrics,
  };
}
