import { expect } from 'vitest';
import { atServer, callAndStreamPoints, describeLLMClient } from './support/describe-llm-client.js';
import { perTokenType } from './support/expected-points.js';
import { REGISTRY } from './support/user-app.js';

describeLLMClient('@va/instrumentation-anthropic', {
  client: REGISTRY.anthropic,
  records: 'instrumentAnthropic(client) records the tokens, cache counts and cost of a message and a stream',
  environment: (server) => ({ ANTHROPIC_BASE_URL: server.anthropicBaseURL }),
  points: (server) => {
    const call = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-haiku-4-5',
      'gen_ai.response.model': 'claude-haiku-4-5',
    };
    const endpoint = atServer(call, server);
    return [
      // The input tokens include cache reads and writes. Only the stream has chunks: its 12 text deltas.
      ...callAndStreamPoints(endpoint, { chunkIntervals: 11 }),
      // Claude Haiku 4.5's list prices per million tokens: $1 input, $0.10 cache reads, $1.25 cache
      // writes, $5 output. Input: 2 read + 1 written + 7 uncached; output: 24.
      ...perTokenType('gen_ai.client.cost', call, {
        input: { value: expect.closeTo((7 * 1 + 2 * 0.1 + 1 * 1.25) / 1e6, 15) },
        output: { value: expect.closeTo((24 * 5) / 1e6, 15) },
      }),
      { name: 'gen_ai.client.inference.usage.cache_read.input_tokens', attributes: endpoint, value: 2 },
      { name: 'gen_ai.client.inference.usage.cache_write.input_tokens', attributes: endpoint, value: 1 },
    ];
  },
});
