import type { Attributes } from '@opentelemetry/api';
import { TestMetrics } from '@va/test-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CallRecorder,
  type ClientSettings,
  GenAICall,
  type GenAIConventions,
  genAIConventionsOf,
  genAIInstrumentsOf,
  recordUsage,
  resolveClientSettings,
  type TokenUsage,
} from '../src/index.js';

const CURRENT: GenAIConventions = { current: true, latest: false };
const LATEST: GenAIConventions = { current: false, latest: true };
const BOTH: GenAIConventions = { current: true, latest: true };

const faults: unknown[] = [];
const RECORDER: CallRecorder = {
  scope: { name: 'conventions-test', version: '1.0.0' },
  reportFault: (_action, error) => faults.push(error),
};

let metrics: TestMetrics;
afterEach(async () => {
  expect(faults).toEqual([]);
  await metrics?.shutdown();
});

function settingsFor(conventions: GenAIConventions): ClientSettings {
  metrics = new TestMetrics();
  return {
    ...resolveClientSettings({
      meterProvider: metrics.meterProvider,
      builtInPrices: false,
      prices: { 'm-1': { input: 2, cachedInput: 1, cacheWriteInput: 3, output: 10 } },
    }),
    conventions,
  };
}

const CALL: Attributes = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'anthropic',
  'gen_ai.request.model': 'm-1',
};
const ANSWERED = { ...CALL, 'gen_ai.response.model': 'm-1' };
const unknown = (attributes: Attributes) => ({ ...attributes, 'gen_ai.token.modality': 'unknown' });

/** A streamed call of three chunks that ends with `usage`, or fails with `error`. */
function streamedCall(
  settings: ClientSettings,
  usage: TokenUsage | undefined,
  options: { error?: unknown; attributes?: Attributes } = {},
): void {
  const call = new GenAICall(RECORDER, settings, options.attributes ?? CALL, 'm-1', true);
  call.responseModel = 'm-1';
  for (let chunk = 0; chunk < 3; chunk++) call.outputChunk();
  call.usage = usage;
  if (options.error === undefined) call.succeed();
  else call.fail(options.error);
}

const USAGE: TokenUsage = {
  input: 100,
  output: 20,
  cachedInput: 40,
  cacheWriteInput: 10,
  reasoningOutput: 5,
};

async function names(): Promise<string[]> {
  return (await metrics.descriptors()).map((descriptor) => descriptor.name).sort();
}

describe('OTEL_SEMCONV_STABILITY_OPT_IN for the GenAI metric names', () => {
  it('reads today, the 2026 names, or both', () => {
    const of = (value: string | undefined) => genAIConventionsOf({ OTEL_SEMCONV_STABILITY_OPT_IN: value });
    expect(of(undefined)).toEqual(CURRENT);
    expect(of('')).toEqual(CURRENT);
    expect(of('http')).toEqual(CURRENT);
    expect(of('gen_ai_latest_experimental')).toEqual(LATEST);
    expect(of(' http/dup , GEN_AI_LATEST_EXPERIMENTAL ')).toEqual(LATEST);
    expect(of('gen_ai/dup')).toEqual(BOTH);
    expect(of('gen_ai_latest_experimental/dup')).toEqual(BOTH);
    expect(of('gen_ai_latest_experimental,gen_ai/dup')).toEqual(BOTH);
  });
});

describe('a streamed chat call under each mode', () => {
  it("today's names: the operation histograms, the token usage histogram by type, unsplit counters without a modality", async () => {
    streamedCall(settingsFor(CURRENT), USAGE);
    expect(await names()).toEqual([
      'gen_ai.client.cost',
      'gen_ai.client.inference.usage.cache_read.input_tokens',
      'gen_ai.client.inference.usage.cache_write.input_tokens',
      'gen_ai.client.inference.usage.reasoning.output_tokens',
      'gen_ai.client.operation.duration',
      'gen_ai.client.operation.time_per_output_chunk',
      'gen_ai.client.operation.time_to_first_chunk',
      'gen_ai.client.token.usage',
    ]);
    expect((await metrics.point('gen_ai.client.operation.duration', ANSWERED))?.count).toBe(1);
    expect((await metrics.point('gen_ai.client.operation.time_per_output_chunk', ANSWERED))?.count).toBe(2);
    expect(
      (await metrics.point('gen_ai.client.token.usage', { ...ANSWERED, 'gen_ai.token.type': 'input' }))?.sum,
    ).toBe(100);
    expect(await metrics.value('gen_ai.client.inference.usage.cache_read.input_tokens', ANSWERED)).toBe(40);
    expect(await metrics.value('gen_ai.client.inference.usage.cache_write.input_tokens', ANSWERED)).toBe(10);
  });

  it('gen_ai_latest_experimental: the inference histograms, usage counters under `unknown`, the per-call token histograms, cost once', async () => {
    streamedCall(settingsFor(LATEST), USAGE);
    expect(await names()).toEqual([
      'gen_ai.client.cost',
      'gen_ai.client.inference.duration',
      'gen_ai.client.inference.operation.input_tokens',
      'gen_ai.client.inference.operation.output_tokens',
      'gen_ai.client.inference.time_per_output_chunk',
      'gen_ai.client.inference.time_to_first_chunk',
      'gen_ai.client.inference.usage.cache_read.input_tokens',
      'gen_ai.client.inference.usage.cache_write.input_tokens',
      'gen_ai.client.inference.usage.input_tokens',
      'gen_ai.client.inference.usage.output_tokens',
      'gen_ai.client.inference.usage.reasoning.output_tokens',
    ]);
    expect((await metrics.point('gen_ai.client.inference.duration', ANSWERED))?.count).toBe(1);
    expect((await metrics.point('gen_ai.client.inference.time_to_first_chunk', ANSWERED))?.count).toBe(1);
    expect((await metrics.point('gen_ai.client.inference.time_per_output_chunk', ANSWERED))?.count).toBe(2);
    expect(await metrics.points('gen_ai.client.inference.usage.input_tokens')).toEqual([
      { attributes: unknown(ANSWERED), value: 100 },
    ]);
    expect(await metrics.points('gen_ai.client.inference.usage.output_tokens')).toEqual([
      { attributes: unknown(ANSWERED), value: 20 },
    ]);
    expect(
      await metrics.value('gen_ai.client.inference.usage.cache_read.input_tokens', unknown(ANSWERED)),
    ).toBe(40);
    expect(
      await metrics.value('gen_ai.client.inference.usage.cache_write.input_tokens', unknown(ANSWERED)),
    ).toBe(10);
    expect(
      await metrics.value('gen_ai.client.inference.usage.reasoning.output_tokens', unknown(ANSWERED)),
    ).toBe(5);
    const perCall = await metrics.point('gen_ai.client.inference.operation.input_tokens', ANSWERED);
    expect([perCall?.count, perCall?.sum]).toEqual([1, 100]);
    expect((await metrics.point('gen_ai.client.inference.operation.output_tokens', ANSWERED))?.sum).toBe(20);
    // 50 uncached input at $2, 40 cache reads at $1, 10 cache writes at $3 per million; 20 output at $10.
    const cost = await metrics.points('gen_ai.client.cost');
    expect(cost.map((point) => [point.attributes['gen_ai.token.type'], point.value])).toEqual([
      ['input', (50 * 2 + 40 * 1 + 10 * 3) / 1e6],
      ['output', (20 * 10) / 1e6],
    ]);
  });

  it('gen_ai/dup: both generations, the shared counters and the cost once', async () => {
    streamedCall(settingsFor(BOTH), USAGE);
    const all = await names();
    expect(all).toContain('gen_ai.client.operation.duration');
    expect(all).toContain('gen_ai.client.inference.duration');
    expect(all).toContain('gen_ai.client.token.usage');
    expect(all).toContain('gen_ai.client.inference.usage.input_tokens');
    expect(all).toHaveLength(15);
    expect(await metrics.points('gen_ai.client.inference.usage.cache_read.input_tokens')).toEqual([
      { attributes: unknown(ANSWERED), value: 40 },
    ]);
    expect((await metrics.points('gen_ai.client.cost')).reduce((sum, point) => sum + point.value, 0)).toBe(
      (50 * 2 + 40 + 30 + 200) / 1e6,
    );
  });
});

describe('the 2026 rules for calls without usage and for other operations', () => {
  it('a failed call without usage adds 0 under `unknown` to the input and output counters and no per-call histogram', async () => {
    const timeout = Object.assign(new Error('timed out'), { status: 429 });
    streamedCall(settingsFor(LATEST), undefined, { error: timeout });
    expect(await metrics.points('gen_ai.client.inference.duration')).toMatchObject([
      { attributes: { ...ANSWERED, 'error.type': '429' }, count: 1 },
    ]);
    expect(await metrics.points('gen_ai.client.inference.usage.input_tokens')).toEqual([
      { attributes: unknown(ANSWERED), value: 0 },
    ]);
    expect(await metrics.points('gen_ai.client.inference.usage.output_tokens')).toEqual([
      { attributes: unknown(ANSWERED), value: 0 },
    ]);
    expect(await metrics.points('gen_ai.client.inference.operation.input_tokens')).toEqual([]);
    expect(await metrics.points('gen_ai.client.token.usage')).toEqual([]);
  });

  it('a failed stream that did report usage counts it, without a per-call histogram point', async () => {
    streamedCall(settingsFor(LATEST), { input: 7, output: 3 }, { error: new TypeError('terminated') });
    expect(await metrics.value('gen_ai.client.inference.usage.input_tokens', unknown(ANSWERED))).toBe(7);
    expect(await metrics.value('gen_ai.client.inference.usage.output_tokens', unknown(ANSWERED))).toBe(3);
    expect(await metrics.points('gen_ai.client.inference.operation.output_tokens')).toEqual([]);
  });

  it('embeddings: their own duration and per-call input tokens, no usage counters', async () => {
    const embeddings = { ...CALL, 'gen_ai.operation.name': 'embeddings' };
    const call = new GenAICall(RECORDER, settingsFor(LATEST), embeddings, 'm-1', false);
    call.usage = { input: 12 };
    call.succeed();
    expect(await names()).toEqual([
      'gen_ai.client.cost',
      'gen_ai.client.embeddings.duration',
      'gen_ai.client.embeddings.operation.input_tokens',
    ]);
    expect((await metrics.point('gen_ai.client.embeddings.operation.input_tokens', embeddings))?.sum).toBe(
      12,
    );
  });

  it('an audio operation keeps gen_ai.client.operation.duration, and its tokens go on the usage counters', async () => {
    const transcription = { ...CALL, 'gen_ai.operation.name': 'transcription' };
    const call = new GenAICall(RECORDER, settingsFor(LATEST), transcription, 'm-1', false);
    call.usage = { input: 30, output: 8 };
    call.succeed();
    expect(await names()).toEqual([
      'gen_ai.client.cost',
      'gen_ai.client.inference.usage.input_tokens',
      'gen_ai.client.inference.usage.output_tokens',
      'gen_ai.client.operation.duration',
    ]);
    expect(await metrics.value('gen_ai.client.inference.usage.input_tokens', unknown(transcription))).toBe(
      30,
    );
  });

  it("a provider's split by modality is kept: each modality its own point, no `unknown` beside them", async () => {
    const settings = settingsFor(LATEST);
    recordUsage(
      genAIInstrumentsOf(RECORDER.scope, settings.meterProvider, LATEST),
      {
        priceOf: settings.priceOf,
        attributes: { ...CALL, 'gen_ai.operation.name': 'realtime_inference' },
        requestModel: 'm-1',
        reportedResponseModel: undefined,
        responseModel: undefined,
      },
      {
        input: 50,
        output: 30,
        cachedInput: 20,
        inputByModality: { text: 10, audio: 40 },
        cachedInputByModality: { audio: 20 },
        outputByModality: { audio: 30 },
      },
    );
    const realtime = { ...CALL, 'gen_ai.operation.name': 'realtime_inference' };
    const byModality = async (name: string) =>
      (await metrics.points(name)).map((point) => [point.attributes['gen_ai.token.modality'], point.value]);
    expect(await byModality('gen_ai.client.inference.usage.input_tokens')).toEqual([
      ['text', 10],
      ['audio', 40],
    ]);
    expect(await byModality('gen_ai.client.inference.usage.output_tokens')).toEqual([['audio', 30]]);
    expect(await byModality('gen_ai.client.inference.usage.cache_read.input_tokens')).toEqual([
      ['audio', 20],
    ]);
    expect((await metrics.point('gen_ai.client.inference.operation.input_tokens', realtime))?.sum).toBe(50);
  });
});
