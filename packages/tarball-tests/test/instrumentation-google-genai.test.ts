import { atServer, callAndStreamPoints, describeLLMClient } from './support/describe-llm-client.js';
import { perTokenType } from './support/expected-points.js';
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
    const text = { 'gen_ai.token.modality': 'text' };
    return [
      // The stream's tokens are its last chunk's (its chunks carry running totals); the intervals
      // are those between its 12 chunks.
      ...callAndStreamPoints(atServer(call, server), { chunkIntervals: 11, tokenAttributes: text }),
      // Gemini 2.5 Flash's list prices: 0.30 and 2.50 US dollars per million input and output tokens.
      ...perTokenType(
        'gen_ai.client.cost',
        { ...call, ...text },
        { input: { value: 0.000003 }, output: { value: 0.00006 } },
      ),
    ];
  },
});
