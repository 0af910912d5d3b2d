import type { Attributes } from '@opentelemetry/api';
import { type StartedServer, startOpenAICompatibleServer } from '@va/openai-compatible-server';
import type { TestMetrics } from '@va/test-metrics';
import { useServerTestbed } from '@va/test-metrics/server-testbed';
import { type AnthropicModule, type AnyAnthropic, loadAnthropic } from './anthropic-majors.js';

/** What the tests of one `@anthropic-ai/sdk` major share: the package, a local server, fresh metrics per test. */
export interface Testbed {
  readonly anthropic: AnthropicModule;
  /** The bundled server (its Anthropic Messages API), for the whole block; reset before each test. */
  readonly server: StartedServer;
  /** A MeterProvider of its own for each test. */
  readonly metrics: TestMetrics;
  /** An uninstrumented client of the server, with no retries unless `options` asks for them. */
  plainClient(options?: Record<string, unknown>): AnyAnthropic;
  /** The set every metric of a call to `model` carries, before its answer names the model that answered. */
  callAttributes(model: string): Attributes;
  /** `[attributes, count]` of every point of the duration histogram. */
  durationCounts(): Promise<[Attributes, number | undefined][]>;
}

/** Sets the testbed up inside the calling `describe` block (its hooks belong to that block). */
export function useTestbed(major: number): Testbed {
  const anthropic = loadAnthropic(major);
  const shared = useServerTestbed(startOpenAICompatibleServer);

  return {
    anthropic,
    get server() {
      return shared.server;
    },
    get metrics() {
      return shared.metrics;
    },
    plainClient(options = {}) {
      return new anthropic.Anthropic({
        apiKey: 'test',
        baseURL: this.server.anthropicBaseURL,
        maxRetries: 0,
        ...options,
      });
    },
    callAttributes(model) {
      return {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'anthropic',
        'gen_ai.request.model': model,
        'server.address': '127.0.0.1',
        'server.port': this.server.port,
      };
    },
    async durationCounts() {
      const points = await this.metrics.points('gen_ai.client.operation.duration');
      return points.map((point) => [point.attributes, point.count]);
    },
  };
}
