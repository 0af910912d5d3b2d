import { type StartedServer, startOpenAICompatibleServer } from '@va/openai-compatible-server';
import type { TestMetrics } from '@va/test-metrics';
import { useServerTestbed } from '@va/test-metrics/server-testbed';
import { beforeAll } from 'vitest';

// biome-ignore lint/suspicious/noExplicitAny: each major has its own types; the suite drives them alike.
export type AnyModule = any;

/** The `@google/genai` majors: 1.x and 3.x under npm aliases, 2.x the package itself; 3.x needs Node 22. */
export const MAJORS = [
  { major: 1, minNode: 20, name: 'google-genai-1' },
  { major: 2, minNode: 20, name: '@google/genai' },
  { major: 3, minNode: 22, name: 'google-genai-3' },
] as const;

export const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

/** What the tests of one major share: the package, a local server, fresh metrics per test. */
export interface Testbed {
  readonly sdk: AnyModule;
  /** The bundled server (its Gemini API), for the whole block; reset before each test. */
  readonly server: StartedServer;
  /** A MeterProvider of its own for each test. */
  readonly metrics: TestMetrics;
  /** An uninstrumented client of the server: the Gemini API, or Vertex AI in express mode. */
  plainClient(options?: { vertexai?: boolean; timeout?: number }): AnyModule;
}

/** Sets the testbed up inside the calling `describe` block (its hooks belong to that block). */
export function useTestbed(name: string): Testbed {
  let sdk: AnyModule;
  beforeAll(async () => {
    sdk = await import(name);
  });
  const shared = useServerTestbed(startOpenAICompatibleServer);

  return {
    get sdk() {
      return sdk;
    },
    get server() {
      return shared.server;
    },
    get metrics() {
      return shared.metrics;
    },
    plainClient(options = {}) {
      return new sdk.GoogleGenAI({
        apiKey: 'test',
        vertexai: options.vertexai ?? false,
        httpOptions: { baseUrl: this.server.geminiBaseURL, timeout: options.timeout ?? 10_000 },
      });
    },
  };
}
