import { describe, expect, it } from 'vitest';
import { useBundledServer } from './support/bundled-server.js';
import {
  CACHE_READ,
  COST,
  DURATION_COUNT,
  TOKENS_SUM,
  TTFC_COUNT,
  TTFC_SUM,
} from './support/gen-ai-names.js';
import { exposedSeries as series } from './support/scrape.js';

const REASONING = 'voice_agent_gen_ai_client_inference_usage_reasoning_output_tokens_total';
const MODEL = 'gemini-2.5-flash';
const PROMPT = 'Say hello to the caller please';

describe('the register patches @google/genai', () => {
  const llm = useBundledServer();

  const call = (operation = 'generate_content', model = MODEL) => ({
    gen_ai_operation_name: operation,
    gen_ai_provider_name: 'gcp.gemini',
    gen_ai_request_model: model,
    server_address: '127.0.0.1',
    server_port: String(llm.server.port),
  });

  for (const [fixture, loader] of [
    ['google-genai-app.cjs', '--require'],
    ['google-genai-app.mjs', '--import'],
  ] as const) {
    it(`${loader}: counts every call once (the wrapped one and chats too) with tokens, cached and thinking tokens, cost, TTFC`, async () => {
      const samples = await llm.startAndScrape(
        fixture,
        { GEMINI_BASE_URL: llm.server.geminiBaseURL },
        loader,
      );
      const answered = { ...call(), gen_ai_response_model: MODEL };
      expect(series(samples, DURATION_COUNT)).toEqual([
        { labels: answered, value: 4 },
        { labels: { ...call(), error_type: '429' }, value: 1 },
        { labels: { ...call('embeddings', 'gemini-embedding-001') }, value: 1 },
      ]);

      const reported = llm.server.responses.filter(
        (entry) => entry.path.endsWith(':generateContent') || entry.path.endsWith(':streamGenerateContent'),
      );
      expect(reported.map((entry) => entry.status)).toEqual([200, 200, 200, 200, 429]);
      const inputSum = reported.reduce((total, entry) => total + (entry.usage?.input ?? 0), 0);
      const outputSum = reported.reduce((total, entry) => total + (entry.usage?.output ?? 0), 0);
      // The call with thinking tokens records its output whole (its TEXT details cover the candidates
      // only, not the thoughts); the others split it by modality, all text.
      const thinking = reported[0]!.usage!.output;
      expect(thinking).toBe(15);
      expect(series(samples, TOKENS_SUM)).toEqual([
        {
          labels: { ...answered, gen_ai_token_type: 'input', gen_ai_token_modality: 'text' },
          value: inputSum,
        },
        { labels: { ...answered, gen_ai_token_type: 'output' }, value: thinking },
        {
          labels: { ...answered, gen_ai_token_type: 'output', gen_ai_token_modality: 'text' },
          value: outputSum - thinking,
        },
      ]);
      expect(series(samples, TTFC_COUNT)).toEqual([{ labels: answered, value: 1 }]);
      expect(series(samples, TTFC_SUM)[0]!.value).toBeGreaterThanOrEqual(0.045);
      expect(series(samples, CACHE_READ)).toEqual([
        { labels: { ...answered, gen_ai_token_modality: 'text' }, value: 2 },
      ]);
      expect(series(samples, REASONING)).toEqual([{ labels: answered, value: 3 }]);

      // Gemini 2.5 Flash from the built-in table: $0.30 input, $0.03 cached input, $2.50 output.
      const cost = series(samples, COST);
      const dollars = (type: string) =>
        cost
          .filter((sample) => sample.labels.gen_ai_token_type === type)
          .reduce((sum, sample) => sum + sample.value, 0);
      expect(dollars('input')).toBeCloseTo(((inputSum - 2) * 0.3 + 2 * 0.03) / 1e6, 12);
      expect(dollars('output')).toBeCloseTo((outputSum * 2.5) / 1e6, 12);
      expect(
        samples.some((sample) => Object.values(sample.labels).some((value) => value.includes(PROMPT))),
      ).toBe(false);
    });
  }

  it('OTEL_NODE_DISABLED_INSTRUMENTATIONS=google-genai: only the explicitly instrumented client is measured', async () => {
    const samples = await llm.startAndScrape('google-genai-app.cjs', {
      GEMINI_BASE_URL: llm.server.geminiBaseURL,
      OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'google-genai',
    });
    expect(series(samples, DURATION_COUNT)).toEqual([
      { labels: { ...call(), gen_ai_response_model: MODEL }, value: 1 },
    ]);
  });
});
