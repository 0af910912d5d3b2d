import { type StartedServer, startOpenAICompatibleServer } from '@va/openai-compatible-server';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { loadMajor, type Major } from './ai-majors.js';
import { TestMetrics } from './metrics.js';

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
  let server: StartedServer | undefined;
  let metrics: TestMetrics | undefined;

  beforeAll(async () => {
    sdk = await loadMajor(major);
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

  const defined = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the testbed's ${what} is used before its hook ran`);
    return value;
  };
  return {
    get sdk() {
      return defined(sdk, 'SDK');
    },
    get server() {
      return defined(server, 'server');
    },
    get metrics() {
      return defined(metrics, 'metrics');
    },
    async renewMetrics() {
      await metrics?.shutdown();
      metrics = new TestMetrics();
    },
  };
}
