import { expect } from 'vitest';
import { describeLLMClient } from './support/describe-llm-client.js';
import { perTokenType, timed } from './support/expected-points.js';
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
    const endpoint = { ...call, 'server.address': '127.0.0.1', 'server.port': server.port };
    return [
      { name: 'gen_ai.client.operation.duration', attributes: endpoint, ...timed(2) },
      // 'Say hello' is 3 + 2 input tokens, cache reads and writes included, the reply 12 output tokens.
      ...perTokenType('gen_ai.client.token.usage', endpoint, {
        input: { count: 2, sum: 10 },
        output: { count: 2, sum: 24 },
      }),
      // Only the stream has chunks: its 12 text deltas.
      { name: 'gen_ai.client.operation.time_to_first_chunk', attributes: endpoint, ...timed(1) },
      { name: 'gen_ai.client.operation.time_per_output_chunk', attributes: endpoint, ...timed(11) },
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
