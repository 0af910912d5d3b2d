import { describe, expect, it } from 'vitest';
import { useBundledServer } from './support/bundled-server.js';
import { CACHE_READ, COST, DURATION_COUNT, TOKENS_SUM, TTFC_COUNT } from './support/gen-ai-names.js';
import { seriesOf, sortSeries } from './support/scrape.js';

const CACHE_WRITE = 'voice_agent_gen_ai_client_inference_usage_cache_write_input_tokens_total';
const MODEL = 'claude-haiku-4-5';

describe('the register patches @anthropic-ai/sdk', () => {
  const llm = useBundledServer();

  const call = () => ({
    gen_ai_operation_name: 'chat',
    gen_ai_provider_name: 'anthropic',
    gen_ai_request_model: MODEL,
    server_address: '127.0.0.1',
    server_port: String(llm.server.port),
  });

  for (const [fixture, loader] of [
    ['anthropic-app.cjs', '--require'],
    ['anthropic-app.mjs', '--import'],
  ] as const) {
    it(`${loader}: counts every call once, the wrapped one and the stream helper too, with tokens, cache counts and cost`, async () => {
      const samples = await llm.startAndScrape(
        fixture,
        { ANTHROPIC_BASE_URL: llm.server.anthropicBaseURL },
        loader,
      );
      const answered = { ...call(), gen_ai_response_model: MODEL };
      expect(seriesOf(samples, DURATION_COUNT)).toEqual(
        sortSeries([
          { labels: answered, value: 4 },
          { labels: { ...call(), error_type: '529' }, value: 1 },
        ]),
      );

      const reported = llm.server.responses.filter((entry) => entry.path === '/v1/messages' && entry.usage);
      expect(reported).toHaveLength(4);
      const inputSum = reported.reduce((total, entry) => total + entry.usage!.input, 0);
      const outputSum = reported.reduce((total, entry) => total + entry.usage!.output, 0);
      expect(seriesOf(samples, TOKENS_SUM)).toEqual(
        sortSeries([
          { labels: { ...answered, gen_ai_token_type: 'input' }, value: inputSum },
          { labels: { ...answered, gen_ai_token_type: 'output' }, value: outputSum },
        ]),
      );
      expect(seriesOf(samples, TTFC_COUNT)).toEqual([{ labels: answered, value: 2 }]);
      expect(seriesOf(samples, CACHE_READ)).toEqual([{ labels: answered, value: 2 }]);
      expect(seriesOf(samples, CACHE_WRITE)).toEqual([{ labels: answered, value: 3 }]);

      // Claude Haiku 4.5 from the built-in table: $1 input, $0.10 cache reads, $1.25 cache writes, $5 output.
      const cost = seriesOf(samples, COST);
      expect(cost.map((sample) => sample.labels.gen_ai_token_type).sort()).toEqual(['input', 'output']);
      const dollars = (type: string) =>
        cost.find((sample) => sample.labels.gen_ai_token_type === type)!.value;
      expect(dollars('input')).toBeCloseTo(((inputSum - 5) * 1 + 2 * 0.1 + 3 * 1.25) / 1e6, 12);
      expect(dollars('output')).toBeCloseTo((outputSum * 5) / 1e6, 12);
    });
  }

  it('OTEL_NODE_DISABLED_INSTRUMENTATIONS=anthropic: only the explicitly instrumented client is measured', async () => {
    const samples = await llm.startAndScrape('anthropic-app.cjs', {
      ANTHROPIC_BASE_URL: llm.server.anthropicBaseURL,
      OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'anthropic',
    });
    expect(seriesOf(samples, DURATION_COUNT)).toEqual([
      { labels: { ...call(), gen_ai_response_model: MODEL }, value: 1 },
    ]);
  });
});
