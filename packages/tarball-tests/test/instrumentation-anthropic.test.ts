import { expect, it } from 'vitest';
import { useBundledServer } from './support/bundled-server.js';
import { describeInstalled, MODULE_SYSTEMS } from './support/describe-installed.js';
import { REGISTRY, runInApp } from './support/user-app.js';

const bundledServer = useBundledServer();

describeInstalled(
  '@va/instrumentation-anthropic',
  { ...REGISTRY.api, ...REGISTRY.sdkMetrics, ...REGISTRY.anthropic },
  (app) => {
    it.each(MODULE_SYSTEMS)(
      '%s: instrumentAnthropic(client) records the tokens, cache counts and cost of a message and a stream against the bundled server',
      async (_, loader) => {
        const server = bundledServer();
        const call = {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'anthropic',
          'gen_ai.request.model': 'claude-haiku-4-5',
          'gen_ai.response.model': 'claude-haiku-4-5',
        };
        const endpoint = { ...call, 'server.address': '127.0.0.1', 'server.port': server.port };
        const reply = 'Hello! This is a deterministic reply from a fake OpenAI-compatible test server.';
        const timed = (count: number) => ({ count, sum: expect.any(Number) });
        expect(
          await runInApp(app(), [loader, '@va/instrumentation-anthropic'], {
            ANTHROPIC_BASE_URL: server.anthropicBaseURL,
          }),
        ).toEqual({
          reply,
          streamed: reply,
          points: [
            { name: 'gen_ai.client.operation.duration', attributes: endpoint, ...timed(2) },
            // 'Say hello' is 3 + 2 input tokens, cache reads and writes included, the reply 12 output tokens.
            {
              name: 'gen_ai.client.token.usage',
              attributes: { ...endpoint, 'gen_ai.token.type': 'input' },
              count: 2,
              sum: 10,
            },
            {
              name: 'gen_ai.client.token.usage',
              attributes: { ...endpoint, 'gen_ai.token.type': 'output' },
              count: 2,
              sum: 24,
            },
            // Only the stream has chunks: its 12 text deltas.
            { name: 'gen_ai.client.operation.time_to_first_chunk', attributes: endpoint, ...timed(1) },
            { name: 'gen_ai.client.operation.time_per_output_chunk', attributes: endpoint, ...timed(11) },
            // Claude Haiku 4.5's list prices per million tokens: $1 input, $0.10 cache reads, $1.25 cache
            // writes, $5 output. Input: 2 read + 1 written + 7 uncached; output: 24.
            {
              name: 'gen_ai.client.cost',
              attributes: { ...call, 'gen_ai.token.type': 'input' },
              value: expect.closeTo((7 * 1 + 2 * 0.1 + 1 * 1.25) / 1e6, 15),
            },
            {
              name: 'gen_ai.client.cost',
              attributes: { ...call, 'gen_ai.token.type': 'output' },
              value: expect.closeTo((24 * 5) / 1e6, 15),
            },
            { name: 'gen_ai.client.inference.usage.cache_read.input_tokens', attributes: endpoint, value: 2 },
            {
              name: 'gen_ai.client.inference.usage.cache_write.input_tokens',
              attributes: endpoint,
              value: 1,
            },
          ],
        });
        expect(server.responses.map(({ stream, status }) => ({ stream, status }))).toEqual([
          { stream: false, status: 200 },
          { stream: true, status: 200 },
        ]);
        server.reset();
      },
    );
  },
);
