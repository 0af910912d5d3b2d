import {
  BUILT_IN_PRICES,
  costParts,
  createPriceLookup,
  mergePriceTables,
  recordUsage,
  tokenParts,
} from '@va/instrumentation-genai';
import { describe, expect, it } from 'vitest';
import { instrumentsOf } from '../src/instruments.js';
import { resolveSettings } from '../src/options.js';
import { readRealtimeUsage, readUsage } from '../src/usage.js';
import { TestMetrics } from './support/metrics.js';

const TOKENS = 'gen_ai.client.token.usage';
const COST = 'gen_ai.client.cost';
const CACHED = 'gen_ai.client.inference.usage.cache_read.input_tokens';

/** A Realtime `response.done` usage: 100 text + 400 audio in (50 of the audio cached), 30 text + 200 audio out. */
const REALTIME_USAGE = {
  total_tokens: 730,
  input_tokens: 500,
  output_tokens: 230,
  input_token_details: {
    text_tokens: 100,
    audio_tokens: 400,
    image_tokens: 0,
    cached_tokens: 50,
    cached_tokens_details: { text_tokens: 0, audio_tokens: 50, image_tokens: 0 },
  },
  output_token_details: { text_tokens: 30, audio_tokens: 200 },
};

const CALL = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'gpt-realtime-1.5',
  'server.address': 'api.openai.com',
  'server.port': 443,
};

async function record(usage: unknown, prices = {}) {
  const metrics = new TestMetrics();
  const settings = resolveSettings({ meterProvider: metrics.meterProvider, prices });
  const read = readRealtimeUsage(usage);
  if (read === undefined) throw new Error('no usage read');
  recordUsage(
    instrumentsOf(settings),
    {
      priceOf: settings.priceOf,
      attributes: { ...CALL, 'gen_ai.response.model': 'gpt-realtime-1.5' },
      requestModel: 'gpt-realtime-1.5',
      reportedResponseModel: 'gpt-realtime-1.5',
      responseModel: 'gpt-realtime-1.5',
    },
    read,
  );
  return metrics;
}

function byTypeAndModality(points: ReadonlyArray<{ attributes: Record<string, unknown>; value: number }>) {
  return points.map((point) => [
    point.attributes['gen_ai.token.type'],
    point.attributes['gen_ai.token.modality'],
    point.value,
  ]);
}

describe('token modality', () => {
  it('reads a Realtime usage split by modality, cached tokens included', () => {
    expect(readRealtimeUsage(REALTIME_USAGE)).toEqual({
      input: 500,
      output: 230,
      cachedInput: 50,
      inputByModality: { text: 100, audio: 400, image: 0 },
      cachedInputByModality: { text: 0, audio: 50, image: 0 },
      outputByModality: { text: 30, audio: 200 },
    });
  });

  it('records a split type as its modalities only, which add up to its total', async () => {
    const metrics = await record(REALTIME_USAGE);
    const tokens = await metrics.points(TOKENS);
    expect(byTypeAndModality(tokens)).toEqual([
      ['input', 'text', 100],
      ['input', 'audio', 400],
      ['output', 'text', 30],
      ['output', 'audio', 200],
    ]);
    expect(tokens.map((point) => point.count)).toEqual([1, 1, 1, 1]);
    expect(tokens[0]!.attributes).toEqual({
      ...CALL,
      'gen_ai.response.model': 'gpt-realtime-1.5',
      'gen_ai.token.type': 'input',
      'gen_ai.token.modality': 'text',
    });
    expect(byTypeAndModality(await metrics.points(CACHED))).toEqual([[undefined, 'audio', 50]]);
  });

  it('prices each modality at its own rate, cached audio at the cached audio rate', async () => {
    const metrics = await record(REALTIME_USAGE);
    const cost = await metrics.points(COST);
    expect(byTypeAndModality(cost)).toEqual([
      ['input', 'text', (100 * 4) / 1e6],
      ['input', 'audio', (350 * 32 + 50 * 0.4) / 1e6],
      ['output', 'text', (30 * 16) / 1e6],
      ['output', 'audio', (200 * 64) / 1e6],
    ]);
    expect(cost[1]!.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-realtime-1.5',
      'gen_ai.response.model': 'gpt-realtime-1.5',
      'gen_ai.token.type': 'input',
      'gen_ai.token.modality': 'audio',
    });
    const total = cost.reduce((sum, point) => sum + point.value, 0);
    expect(total).toBeCloseTo((100 * 4 + 350 * 32 + 50 * 0.4 + 30 * 16 + 200 * 64) / 1e6, 15);
  });

  it('records a type whose split does not add up to its total unsplit, and an unreported split too', async () => {
    const usage = {
      input_tokens: 500,
      output_tokens: 230,
      input_token_details: { text_tokens: 100, audio_tokens: 300, cached_tokens: 0 },
    };
    expect(readRealtimeUsage(usage)).toEqual({
      input: 500,
      output: 230,
      cachedInput: 0,
      inputByModality: undefined,
      cachedInputByModality: {},
      outputByModality: undefined,
    });
    const metrics = await record(usage);
    expect(byTypeAndModality(await metrics.points(TOKENS))).toEqual([
      ['input', undefined, 500],
      ['output', undefined, 230],
    ]);
    // A cached total of 0 splits into nothing: no unsplit cached series beside split ones.
    expect(await metrics.points(CACHED)).toEqual([]);
    expect(byTypeAndModality(await metrics.points(COST))).toEqual([
      ['input', undefined, (500 * 4) / 1e6],
      ['output', undefined, (230 * 16) / 1e6],
    ]);
  });

  it('prices a modality without its own price as text, and a cached count without a split as text', () => {
    const usage = readRealtimeUsage({
      input_tokens: 300,
      output_tokens: 20,
      input_token_details: { text_tokens: 200, audio_tokens: 100, cached_tokens: 40 },
      output_token_details: { text_tokens: 0, audio_tokens: 20 },
    })!;
    expect(tokenParts(usage)).toEqual([
      { tokenType: 'input', modality: 'text', tokens: 200 },
      { tokenType: 'input', modality: 'audio', tokens: 100 },
      { tokenType: 'output', modality: 'audio', tokens: 20 },
    ]);
    expect(costParts({ input: 2, cachedInput: 1, output: 8 }, usage)).toEqual([
      { tokenType: 'input', modality: 'text', dollars: (160 * 2 + 40 * 1) / 1e6 },
      { tokenType: 'input', modality: 'audio', dollars: (100 * 2) / 1e6 },
      { tokenType: 'output', modality: 'audio', dollars: (20 * 8) / 1e6 },
    ]);
  });

  it('leaves Chat Completions and Responses usage unsplit, audio_tokens details or not', () => {
    const chat = readUsage({
      prompt_tokens: 10,
      completion_tokens: 20,
      prompt_tokens_details: { cached_tokens: 4, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 6, audio_tokens: 0 },
    })!;
    expect(chat.inputByModality).toBeUndefined();
    expect(chat.outputByModality).toBeUndefined();
    expect(tokenParts(chat)).toEqual([
      { tokenType: 'input', modality: undefined, tokens: 10 },
      { tokenType: 'output', modality: undefined, tokens: 20 },
    ]);
  });

  it('prices the Realtime models, dated snapshots by their base model, and takes modality prices from a user table', () => {
    const lookup = createPriceLookup(BUILT_IN_PRICES);
    expect(lookup('gpt-4o-realtime-preview-2025-06-03')).toBe(BUILT_IN_PRICES['gpt-4o-realtime-preview']);
    expect(BUILT_IN_PRICES['gpt-4o-realtime-preview']?.audioOutput).toBe(80);
    expect(lookup('gpt-4o-mini-realtime-preview-2024-12-17')).toBe(
      BUILT_IN_PRICES['gpt-4o-mini-realtime-preview'],
    );
    // The GA line's newer models, each its own entry: no one is taken for a snapshot of another.
    expect(lookup('gpt-realtime-2.1-mini')?.audioInput).toBe(10);
    expect(lookup('gpt-realtime-2.1')?.output).toBe(24);
    expect(lookup('gpt-realtime-2')?.audioOutput).toBe(64);
    // Left out: no official audio price (set it in `prices`).
    expect(lookup('gpt-realtime')).toBeUndefined();
    expect(lookup('gpt-realtime-2025-08-28')).toBeUndefined();
    const table = mergePriceTables({ mine: { input: 1, audioInput: 3, audioOutput: 6 } });
    expect(table.mine).toEqual({ input: 1, audioInput: 3, audioOutput: 6 });
    expect(mergePriceTables({ bad: { input: 1, audioInput: -1 } as never }).bad).toBeUndefined();
  });
});
