import { atServer, callAndStreamPoints, describeLLMClient } from './support/describe-llm-client.js';
import { perTokenType } from './support/expected-points.js';
import { REGISTRY } from './support/user-app.js';

describeLLMClient('@va/instrumentation-openai', {
  client: REGISTRY.openai,
  records: 'instrumentOpenAI(client) records the tokens and operations of a call and a stream',
  environment: (server) => ({ OPENAI_BASE_URL: server.baseURL }),
  points: (server) => {
    const call = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': '127.0.0.1',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
    };
    const endpoint = atServer(call, server);
    return [
      // The intervals between the stream's 14 chunks with choices (its role, 12 words, the finish).
      ...callAndStreamPoints(endpoint, { chunkIntervals: 13 }),
      // gpt-4o-mini's list prices: 0.15 and 0.60 US dollars per million input and output tokens.
      ...perTokenType('gen_ai.client.cost', call, {
        input: { value: 0.0000015 },
        output: { value: 0.0000144 },
      }),
      { name: 'gen_ai.client.inference.usage.cache_read.input_tokens', attributes: endpoint, value: 0 },
      { name: 'gen_ai.client.inference.usage.reasoning.output_tokens', attributes: endpoint, value: 0 },
    ];
  },
});
