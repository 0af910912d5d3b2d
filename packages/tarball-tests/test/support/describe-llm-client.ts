// The frame of an LLM client's instrumentation test: its tarball installed with the client from the
// registry, the bundled server started, and its README example run under require and import, making
// one call and one stream that both get the server's reply and both answer 200.
import type { StartedServer } from '@va/openai-compatible-server';
import { expect, it } from 'vitest';
import { useBundledServer } from './bundled-server.js';
import { describeInstalled, MODULE_SYSTEMS } from './describe-installed.js';
import { perTokenType, timed } from './expected-points.js';
import { REGISTRY, runInApp } from './user-app.js';

const REPLY = 'Hello! This is a deterministic reply from a fake OpenAI-compatible test server.';

export interface LLMClientExample {
  /** The client's own registry dependencies (the OpenTelemetry API and SDK come with every one). */
  readonly client: Record<string, string>;
  /** What the example records: the test's name, before "against the bundled server". */
  readonly records: string;
  /** The variables that point the client at the server. */
  readonly environment: (server: StartedServer) => Record<string, string>;
  /** The exact points the example prints. */
  readonly points: (server: StartedServer) => unknown[];
}

/** The call's attributes with those of the bundled server it went to. */
export function atServer(call: Record<string, unknown>, server: StartedServer): Record<string, unknown> {
  return { ...call, 'server.address': '127.0.0.1', 'server.port': server.port };
}

/**
 * The points of the example's call and stream every client records, in the order they print: both
 * durations; 'Say hello' as 3 + 2 input tokens and the reply as 12 output tokens, for each of the two;
 * the stream's first chunk and the `chunkIntervals` between its chunks.
 */
export function callAndStreamPoints(
  attributes: Record<string, unknown>,
  {
    chunkIntervals,
    tokenAttributes = {},
  }: { chunkIntervals: number; tokenAttributes?: Record<string, unknown> },
): Record<string, unknown>[] {
  return [
    { name: 'gen_ai.client.operation.duration', attributes, ...timed(2) },
    ...perTokenType(
      'gen_ai.client.token.usage',
      { ...attributes, ...tokenAttributes },
      { input: { count: 2, sum: 10 }, output: { count: 2, sum: 24 } },
    ),
    { name: 'gen_ai.client.operation.time_to_first_chunk', attributes, ...timed(1) },
    { name: 'gen_ai.client.operation.time_per_output_chunk', attributes, ...timed(chunkIntervals) },
  ];
}

export function describeLLMClient(name: string, example: LLMClientExample): void {
  const bundledServer = useBundledServer();
  describeInstalled(name, { ...REGISTRY.api, ...REGISTRY.sdkMetrics, ...example.client }, (app) => {
    it.each(MODULE_SYSTEMS)(`%s: ${example.records} against the bundled server`, async (_, loader) => {
      const server = bundledServer();
      expect(await runInApp(app(), [loader, name], example.environment(server))).toEqual({
        reply: REPLY,
        streamed: REPLY,
        points: example.points(server),
      });
      expect(server.responses.map(({ stream, status }) => ({ stream, status }))).toEqual([
        { stream: false, status: 200 },
        { stream: true, status: 200 },
      ]);
      server.reset();
    });
  });
}
