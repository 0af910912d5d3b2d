import { describe, expect, it } from 'vitest';
import { useBundledServer } from './support/bundled-server.js';
import { type Sample, samplesOf } from './support/exposition.js';
import { COST, DURATION_COUNT, TOKENS_SUM, TTFC_COUNT } from './support/gen-ai-names.js';
import { exposedSeries as series } from './support/scrape.js';

describe('the register patches openai', () => {
  const llm = useBundledServer();

  const chat = () => ({
    gen_ai_operation_name: 'chat',
    gen_ai_provider_name: '127.0.0.1',
    gen_ai_request_model: 'gpt-4o-mini',
    server_address: '127.0.0.1',
    server_port: String(llm.server.port),
  });
  const chatCost = (samples: Sample[]) =>
    series(samples, COST).filter((sample) => sample.labels.gen_ai_operation_name === 'chat');
  /** The tokens the server reported for the app's three answered chat calls, summed. */
  const answeredChatUsage = () => {
    const chatResponses = llm.server.responses.filter(
      (entry) => entry.path === '/v1/chat/completions' && entry.usage,
    );
    expect(chatResponses).toHaveLength(3);
    return {
      inputSum: chatResponses.reduce((total, entry) => total + entry.usage!.input, 0),
      outputSum: chatResponses.reduce((total, entry) => total + entry.usage!.output, 0),
    };
  };

  for (const [fixture, loader] of [
    ['openai-app.cjs', '--require'],
    ['openai-app.mjs', '--import'],
  ] as const) {
    it(`${loader}: counts every call once, the proxied one too, with tokens, time to first chunk and cost`, async () => {
      const samples = await llm.startAndScrape(fixture, { OPENAI_BASE_URL: llm.server.baseURL }, loader);
      const answered = { ...chat(), gen_ai_response_model: 'gpt-4o-mini-2024-07-18' };
      expect(series(samples, DURATION_COUNT)).toEqual(
        expect.arrayContaining([
          { labels: answered, value: 3 },
          { labels: { ...chat(), error_type: '429' }, value: 1 },
          {
            labels: {
              ...chat(),
              gen_ai_operation_name: 'embeddings',
              gen_ai_request_model: 'text-embedding-3-small',
              gen_ai_response_model: 'text-embedding-3-small',
            },
            value: 1,
          },
        ]),
      );
      expect(series(samples, DURATION_COUNT)).toHaveLength(3);

      const { inputSum, outputSum } = answeredChatUsage();
      expect(
        series(samples, TOKENS_SUM).filter((sample) => sample.labels.gen_ai_operation_name === 'chat'),
      ).toEqual([
        { labels: { ...answered, gen_ai_token_type: 'input' }, value: inputSum },
        { labels: { ...answered, gen_ai_token_type: 'output' }, value: outputSum },
      ]);
      expect(series(samples, TTFC_COUNT)).toEqual([{ labels: answered, value: 1 }]);

      const cost = chatCost(samples);
      expect(cost.map((sample) => sample.labels.gen_ai_token_type).sort()).toEqual(['input', 'output']);
      expect(cost.find((sample) => sample.labels.gen_ai_token_type === 'input')!.value).toBeCloseTo(
        (inputSum * 0.15) / 1e6,
        12,
      );
    });
  }

  it("OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental: the 2026 names instead of today's, with the same counts", async () => {
    const samples = await llm.startAndScrape('openai-app.cjs', {
      OPENAI_BASE_URL: llm.server.baseURL,
      OTEL_SEMCONV_STABILITY_OPT_IN: 'gen_ai_latest_experimental',
    });
    const answered = { ...chat(), gen_ai_response_model: 'gpt-4o-mini-2024-07-18' };
    const embeddings = {
      ...chat(),
      gen_ai_operation_name: 'embeddings',
      gen_ai_request_model: 'text-embedding-3-small',
      gen_ai_response_model: 'text-embedding-3-small',
    };
    expect(series(samples, DURATION_COUNT)).toEqual([]);
    expect(series(samples, TOKENS_SUM)).toEqual([]);
    expect(series(samples, TTFC_COUNT)).toEqual([]);
    expect(series(samples, 'voice_agent_gen_ai_client_inference_duration_seconds_count')).toEqual([
      { labels: answered, value: 3 },
      { labels: { ...chat(), error_type: '429' }, value: 1 },
    ]);
    expect(series(samples, 'voice_agent_gen_ai_client_embeddings_duration_seconds_count')).toEqual([
      { labels: embeddings, value: 1 },
    ]);
    expect(series(samples, 'voice_agent_gen_ai_client_inference_time_to_first_chunk_seconds_count')).toEqual([
      { labels: answered, value: 1 },
    ]);

    const { inputSum, outputSum } = answeredChatUsage();
    // The failed call reported no usage: it adds 0 under `unknown`, on its own series (no response model).
    expect(series(samples, 'voice_agent_gen_ai_client_inference_usage_input_tokens_total')).toEqual([
      { labels: { ...answered, gen_ai_token_modality: 'unknown' }, value: inputSum },
      { labels: { ...chat(), gen_ai_token_modality: 'unknown' }, value: 0 },
    ]);
    expect(series(samples, 'voice_agent_gen_ai_client_inference_usage_output_tokens_total')).toEqual([
      { labels: { ...answered, gen_ai_token_modality: 'unknown' }, value: outputSum },
      { labels: { ...chat(), gen_ai_token_modality: 'unknown' }, value: 0 },
    ]);
    expect(series(samples, 'voice_agent_gen_ai_client_inference_operation_input_tokens_sum')).toEqual([
      { labels: answered, value: inputSum },
    ]);
    expect(series(samples, 'voice_agent_gen_ai_client_inference_operation_output_tokens_count')).toEqual([
      { labels: answered, value: 3 },
    ]);
    const embeddingInput = llm.server.responses.find((entry) => entry.path === '/v1/embeddings')!.usage!
      .input;
    expect(series(samples, 'voice_agent_gen_ai_client_embeddings_operation_input_tokens_sum')).toEqual([
      { labels: embeddings, value: embeddingInput },
    ]);
    // Spend is counted once, under the same name in every mode.
    expect(
      chatCost(samples).find((sample) => sample.labels.gen_ai_token_type === 'input')!.value,
    ).toBeCloseTo((inputSum * 0.15) / 1e6, 12);
  });

  it('OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai/dup: both generations, counting the same calls', async () => {
    const samples = await llm.startAndScrape('openai-app.cjs', {
      OPENAI_BASE_URL: llm.server.baseURL,
      OTEL_SEMCONV_STABILITY_OPT_IN: 'gen_ai/dup',
    });
    const calls = (name: string) =>
      series(samples, name)
        .filter((sample) => sample.labels.gen_ai_operation_name === 'chat')
        .reduce((total, sample) => total + sample.value, 0);
    expect(calls(DURATION_COUNT)).toBe(4);
    expect(calls('voice_agent_gen_ai_client_inference_duration_seconds_count')).toBe(4);
    const inputSum = llm.server.responses
      .filter((entry) => entry.path === '/v1/chat/completions' && entry.usage)
      .reduce((total, entry) => total + entry.usage!.input, 0);
    expect(
      series(samples, TOKENS_SUM)
        .filter(
          (sample) =>
            sample.labels.gen_ai_token_type === 'input' && sample.labels.gen_ai_operation_name === 'chat',
        )
        .reduce((total, sample) => total + sample.value, 0),
    ).toBe(inputSum);
    expect(calls('voice_agent_gen_ai_client_inference_usage_input_tokens_total')).toBe(inputSum);
    // gen_ai/dup keeps adding the pre-1.37 gen_ai.system beside the provider on today's names.
    expect(
      samplesOf(samples, DURATION_COUNT).every((sample) => sample.labels.gen_ai_system === '127.0.0.1'),
    ).toBe(true);
  });

  it('OTEL_NODE_DISABLED_INSTRUMENTATIONS=openai: only the explicitly instrumented client is measured', async () => {
    const samples = await llm.startAndScrape('openai-app.cjs', {
      OPENAI_BASE_URL: llm.server.baseURL,
      OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'openai',
    });
    expect(series(samples, DURATION_COUNT)).toEqual([
      { labels: { ...chat(), gen_ai_response_model: 'gpt-4o-mini-2024-07-18' }, value: 1 },
    ]);
  });

  it('reads prices, provider name and model normalisation from the environment', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const pricesFile = join(mkdtempSync(join(tmpdir(), 'va-prices-')), 'prices.json');
    writeFileSync(pricesFile, JSON.stringify({ 'gpt-4o-mini': { input: 1000, output: 2000 } }));
    const samples = await llm.startAndScrape('openai-app.cjs', {
      OPENAI_BASE_URL: llm.server.baseURL,
      VA_GENAI_PRICES_FILE: pricesFile,
      VA_GENAI_PROVIDER_NAME: 'my-gateway',
      VA_GENAI_NORMALIZE_MODEL_NAMES: 'true',
    });
    const chatInputs = llm.server.responses.filter(
      (entry) => entry.path === '/v1/chat/completions' && entry.usage,
    );
    const inputSum = chatInputs.reduce((total, entry) => total + entry.usage!.input, 0);
    const cost = series(samples, COST).find(
      (sample) =>
        sample.labels.gen_ai_token_type === 'input' && sample.labels.gen_ai_operation_name === 'chat',
    );
    expect(cost!.labels).toEqual({
      gen_ai_operation_name: 'chat',
      gen_ai_provider_name: 'my-gateway',
      gen_ai_request_model: 'gpt-4o-mini',
      gen_ai_response_model: 'gpt-4o-mini',
      gen_ai_token_type: 'input',
    });
    expect(cost!.value).toBeCloseTo((inputSum * 1000) / 1e6, 9);
  });
});
