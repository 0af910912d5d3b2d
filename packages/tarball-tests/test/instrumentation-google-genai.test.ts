import { describeLLMClient } from './support/describe-llm-client.js';
import { perTokenType, timed } from './support/expected-points.js';
import { REGISTRY } from './support/user-app.js';

describeLLMClient('@va/instrumentation-google-genai', {
  client: REGISTRY.googleGenAI,
  records: 'instrumentGoogleGenAI(client) records the tokens and operations of a call and a stream',
  environment: (server) => ({ GEMINI_BASE_URL: server.geminiBaseURL }),
  points: (server) => {
    const call = {
      'gen_ai.operation.name': 'generate_content',
      'gen_ai.provider.name': 'gcp.gemini',
      'gen_ai.request.model': 'gemini-2.5-flash',
      'gen_ai.response.model': 'gemini-2.5-flash',
    };
    const endpoint = { ...call, 'server.address': '127.0.0.1', 'server.port': server.port };
    const text = { 'gen_ai.token.modality': 'text' };
    return [
      { name: 'gen_ai.client.operation.duration', attributes: endpoint, ...timed(2) },
      // 'Say hello' is 3 + 2 input tokens, the reply 12 output tokens, for the call and the stream
      // (the stream's last chunk: its chunks carry running totals).
      ...perTokenType(
        'gen_ai.client.token.usage',
        { ...endpoint, ...text },
        { input: { count: 2, sum: 10 }, output: { count: 2, sum: 24 } },
      ),
      { name: 'gen_ai.client.operation.time_to_first_chunk', attributes: endpoint, ...timed(1) },
      // The intervals between the stream's 12 chunks.
      { name: 'gen_ai.client.operation.time_per_output_chunk', attributes: endpoint, ...timed(11) },
      // Gemini 2.5 Flash's list prices: 0.30 and 2.50 US dollars per million input and output tokens.
      ...perTokenType(
        'gen_ai.client.cost',
        { ...call, ...text },
        { input: { value: 0.000003 }, output: { value: 0.00006 } },
      ),
    ];
  },
});
