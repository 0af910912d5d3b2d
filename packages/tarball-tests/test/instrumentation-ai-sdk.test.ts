import { callAndStreamPoints, describeLLMClient } from './support/describe-llm-client.js';
import { perTokenType } from './support/expected-points.js';
import { REGISTRY } from './support/user-app.js';

describeLLMClient('@va/instrumentation-ai-sdk', {
  client: REGISTRY.aiSdk,
  records: 'instrumentModel(model) records the tokens, chunks and cost of a generateText and a streamText',
  environment: (server) => ({ OPENAI_BASE_URL: server.baseURL }),
  points: () => {
    const call = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
    };
    return [
      // The intervals between the stream's 12 text deltas.
      ...callAndStreamPoints(call, { chunkIntervals: 11 }),
      // gpt-4o-mini's list prices: 0.15 and 0.60 US dollars per million input and output tokens.
      ...perTokenType('gen_ai.client.cost', call, {
        input: { value: 0.0000015 },
        output: { value: 0.0000144 },
      }),
      { name: 'gen_ai.client.inference.usage.cache_read.input_tokens', attributes: call, value: 0 },
      { name: 'gen_ai.client.inference.usage.reasoning.output_tokens', attributes: call, value: 0 },
    ];
  },
});
