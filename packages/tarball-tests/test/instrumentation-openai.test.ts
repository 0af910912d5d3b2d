import { expect, it } from 'vitest';
import { useBundledServer } from './support/bundled-server.js';
import { describeInstalled, MODULE_SYSTEMS } from './support/describe-installed.js';
import { REGISTRY, runInApp } from './support/user-app.js';

const bundledServer = useBundledServer();

describeInstalled(
  '@va/instrumentation-openai',
  { ...REGISTRY.api, ...REGISTRY.sdkMetrics, ...REGISTRY.openai },
  (app) => {
    it.each(MODULE_SYSTEMS)(
      '%s: instrumentOpenAI(client) records the tokens and operations of a call and a stream against the bundled server',
      async (_, loader) => {
        const server = bundledServer();
        const call = {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': '127.0.0.1',
          'gen_ai.request.model': 'gpt-4o-mini',
          'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
        };
        const endpoint = { ...call, 'server.address': '127.0.0.1', 'server.port': server.port };
        const reply = 'Hello! This is a deterministic reply from a fake OpenAI-compatible test server.';
        const timed = (count: number) => ({ count, sum: expect.any(Number) });
        expect(
          await runInApp(app(), [loader, '@va/instrumentation-openai'], { OPENAI_BASE_URL: server.baseURL }),
        ).toEqual({
          reply,
          streamed: reply,
          points: [
            { name: 'gen_ai.client.operation.duration', attributes: endpoint, ...timed(2) },
            // 'Say hello' is 3 + 2 input tokens, the reply 12 output tokens, for the call and the stream.
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
            { name: 'gen_ai.client.operation.time_to_first_chunk', attributes: endpoint, ...timed(1) },
            // The intervals between the stream's 14 chunks with choices (its role, 12 words, the finish).
            { name: 'gen_ai.client.operation.time_per_output_chunk', attributes: endpoint, ...timed(13) },
            // gpt-4o-mini's list prices: 0.15 and 0.60 US dollars per million input and output tokens.
            {
              name: 'gen_ai.client.cost',
              attributes: { ...call, 'gen_ai.token.type': 'input' },
              value: 0.0000015,
            },
            {
              name: 'gen_ai.client.cost',
              attributes: { ...call, 'gen_ai.token.type': 'output' },
              value: 0.0000144,
            },
            { name: 'gen_ai.client.inference.usage.cache_read.input_tokens', attributes: endpoint, value: 0 },
            { name: 'gen_ai.client.inference.usage.reasoning.output_tokens', attributes: endpoint, value: 0 },
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
