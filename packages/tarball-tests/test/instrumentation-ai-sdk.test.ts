import { expect, it } from 'vitest';
import { useBundledServer } from './support/bundled-server.js';
import { describeInstalled, MODULE_SYSTEMS } from './support/describe-installed.js';
import { REGISTRY, runInApp } from './support/user-app.js';

const bundledServer = useBundledServer();

describeInstalled(
  '@va/instrumentation-ai-sdk',
  { ...REGISTRY.api, ...REGISTRY.sdkMetrics, ...REGISTRY.aiSdk },
  (app) => {
    it.each(MODULE_SYSTEMS)(
      '%s: instrumentModel(model) records the tokens, chunks and cost of a generateText and a streamText against the bundled server',
      async (_, loader) => {
        const server = bundledServer();
        const call = {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o-mini',
          'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
        };
        const reply = 'Hello! This is a deterministic reply from a fake OpenAI-compatible test server.';
        const timed = (count: number) => ({ count, sum: expect.any(Number) });
        expect(
          await runInApp(app(), [loader, '@va/instrumentation-ai-sdk'], { OPENAI_BASE_URL: server.baseURL }),
        ).toEqual({
          reply,
          streamed: reply,
          points: [
            { name: 'gen_ai.client.operation.duration', attributes: call, ...timed(2) },
            // 'Say hello' is 3 + 2 input tokens, the reply 12 output tokens, for the call and the stream.
            {
              name: 'gen_ai.client.token.usage',
              attributes: { ...call, 'gen_ai.token.type': 'input' },
              count: 2,
              sum: 10,
            },
            {
              name: 'gen_ai.client.token.usage',
              attributes: { ...call, 'gen_ai.token.type': 'output' },
              count: 2,
              sum: 24,
            },
            { name: 'gen_ai.client.operation.time_to_first_chunk', attributes: call, ...timed(1) },
            // The intervals between the stream's 12 text deltas.
            { name: 'gen_ai.client.operation.time_per_output_chunk', attributes: call, ...timed(11) },
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
            { name: 'gen_ai.client.inference.usage.cache_read.input_tokens', attributes: call, value: 0 },
            { name: 'gen_ai.client.inference.usage.reasoning.output_tokens', attributes: call, value: 0 },
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
