import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiagLogLevel, diag } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ANTHROPIC_PRICES_AS_OF,
  audioCostOf,
  BUILT_IN_PRICES,
  characterCostOf,
  costOf,
  costParts,
  createPriceLookup,
  GEMINI_PRICES_AS_OF,
  isSnapshotOf,
  mergePriceTables,
  pricesFromEnvironment,
  type TokenPrice,
  tokenPriceOf,
  withoutSnapshotSuffix,
} from '../src/index.js';

function captureWarnings(): string[] {
  const warnings: string[] = [];
  diag.setLogger(
    {
      ...console,
      warn: (...args: unknown[]) => warnings.push(args.join(' ')),
      debug() {},
      verbose() {},
      info() {},
      error() {},
    },
    DiagLogLevel.WARN,
  );
  return warnings;
}

afterEach(() => diag.disable());

/** The built-in entries of `models`, by name. */
function builtIn(...models: string[]): Record<string, unknown> {
  return Object.fromEntries(models.map((model) => [model, BUILT_IN_PRICES[model]]));
}

describe('prices', () => {
  const lookup = createPriceLookup(BUILT_IN_PRICES);

  it('finds a dated snapshot by its base model, and only date suffixes', () => {
    expect(lookup('gpt-4o-mini-2024-07-18')).toBe(BUILT_IN_PRICES['gpt-4o-mini']);
    expect(lookup('gpt-4o-2024-08-06')).toBe(BUILT_IN_PRICES['gpt-4o']);
    expect(lookup('gpt-4-turbo')).toBe(BUILT_IN_PRICES['gpt-4-turbo']);
    expect(lookup('gpt-4o-audio-preview')).toBeUndefined();
    expect(lookup('llama-3-70b')).toBeUndefined();
  });

  it("finds Anthropic's -YYYYMMDD snapshots (and Vertex AI's @YYYYMMDD) by their base model", () => {
    expect(lookup('claude-sonnet-4-5-20250929')).toBe(BUILT_IN_PRICES['claude-sonnet-4-5']);
    expect(lookup('claude-3-5-haiku-20241022')).toBe(BUILT_IN_PRICES['claude-3-5-haiku']);
    expect(lookup('claude-haiku-4-5-20251001')).toBe(BUILT_IN_PRICES['claude-haiku-4-5']);
    expect(lookup('claude-sonnet-4-5@20250929')).toBe(BUILT_IN_PRICES['claude-sonnet-4-5']);
    // A snapshot finds its own model, never a neighbour whose name it starts with.
    expect(lookup('claude-opus-4-1-20250805')).toBe(BUILT_IN_PRICES['claude-opus-4-1']);
    expect(lookup('claude-opus-4-20250514')).toBe(BUILT_IN_PRICES['claude-opus-4']);
    expect(lookup('claude-sonnet-4-20250514')).toBe(BUILT_IN_PRICES['claude-sonnet-4']);
    // Not dates: too short, too long, or a word.
    expect(lookup('claude-sonnet-4-5-2025092')).toBeUndefined();
    expect(lookup('claude-sonnet-4-5-202509290')).toBeUndefined();
    expect(lookup('claude-sonnet-4-5-thinking')).toBeUndefined();
    expect(lookup('claude-sonnet-4-5@latest')).toBeUndefined();
  });

  it("finds Gemini's stable versions by their base model, and never a preview's", () => {
    const table = mergePriceTables({ 'gemini-2.0-flash': { input: 0.1, output: 0.4 } }, BUILT_IN_PRICES);
    const find = createPriceLookup(table);
    expect(find('gemini-2.0-flash-001')).toBe(table['gemini-2.0-flash']);
    expect(find('gemini-2.5-flash-002')).toBe(BUILT_IN_PRICES['gemini-2.5-flash']);
    // A preview is a model of its own: it finds only an entry of its own name.
    expect(find('gemini-2.5-flash-preview-09-2025')).toBeUndefined();
    expect(find('gemini-2.5-pro-preview-06-05')).toBeUndefined();
    expect(find('gemini-2.5-flash-lite-preview-09-2025')).toBe(
      BUILT_IN_PRICES['gemini-2.5-flash-lite-preview-09-2025'],
    );
    expect(find('gemini-2.5-flash-native-audio-preview-12-2025')).toBeUndefined();
    expect(find('gemini-2.5-flash-exp')).toBeUndefined();
    expect(find('gemini-2.5-flash-0001')).toBeUndefined();
  });

  it('normalises model names by the same suffixes, and only those', () => {
    expect(withoutSnapshotSuffix('claude-sonnet-4-5-20250929')).toBe('claude-sonnet-4-5');
    expect(withoutSnapshotSuffix('claude-3-5-haiku-20241022')).toBe('claude-3-5-haiku');
    expect(withoutSnapshotSuffix('claude-opus-4-1@20250805')).toBe('claude-opus-4-1');
    expect(withoutSnapshotSuffix('gemini-2.0-flash-001')).toBe('gemini-2.0-flash');
    expect(withoutSnapshotSuffix('gpt-4o-2024-08-06')).toBe('gpt-4o');
    expect(withoutSnapshotSuffix('gpt-4-0613')).toBe('gpt-4');
    for (const unchanged of [
      'claude-sonnet-4-5',
      'gpt-4o-audio-preview',
      'gemini-2.5-flash-preview-09-2025',
      'gemini-embedding-001',
      'text-embedding-004',
      'gemini-flash-latest',
    ]) {
      expect(withoutSnapshotSuffix(unchanged)).toBe(unchanged);
    }
    expect(isSnapshotOf('claude-sonnet-4-5-20250929', 'claude-sonnet-4-5')).toBe(true);
    expect(isSnapshotOf('claude-sonnet-4-5-20250929', 'claude-sonnet-4')).toBe(false);
    expect(isSnapshotOf('gemini-2.0-flash-lite-001', 'gemini-2.0-flash')).toBe(false);
  });

  it('prices cached input at the cached rate and output at the output rate', () => {
    const cost = costOf(
      { input: 2, cachedInput: 0.5, output: 8 },
      { input: 1000, cachedInput: 400, output: 250 },
    );
    expect(cost.input).toBeCloseTo((600 * 2 + 400 * 0.5) / 1e6, 15);
    expect(cost.output).toBeCloseTo((250 * 8) / 1e6, 15);
    expect(costOf({ input: 0.02 }, { input: 100 })).toEqual({ input: 0.000002, output: 0 });
  });

  const claude: TokenPrice = {
    input: 3,
    cacheWriteInput: 3.75,
    cacheWrite1hInput: 6,
    cachedInput: 0.3,
    output: 15,
  };

  it('prices cache writes at the five-minute and one-hour write prices, reads at the cached price, the rest at input', () => {
    // 10,000 input: 4,000 read from the cache, 3,000 written (1,000 of them for an hour), 3,000 uncached.
    const cost = costOf(claude, {
      input: 10_000,
      cachedInput: 4_000,
      cacheWriteInput: 3_000,
      cacheWrite1hInput: 1_000,
      output: 500,
    });
    expect(cost.input).toBeCloseTo((3_000 * 3 + 4_000 * 0.3 + 2_000 * 3.75 + 1_000 * 6) / 1e6, 15);
    expect(cost.input).toBeCloseTo(0.0237, 15);
    expect(cost.output).toBeCloseTo(0.0075, 15);
    // Only one-hour writes, only five-minute writes.
    expect(
      costOf(claude, { input: 1_000, cacheWriteInput: 1_000, cacheWrite1hInput: 1_000 }).input,
    ).toBeCloseTo(0.006, 15);
    expect(costOf(claude, { input: 1_000, cacheWriteInput: 1_000 }).input).toBeCloseTo(0.00375, 15);
  });

  it('defaults the one-hour write price to the five-minute one, and that to the input price', () => {
    const usage = { input: 1_000, cacheWriteInput: 600, cacheWrite1hInput: 200 };
    expect(costOf({ input: 2, cacheWriteInput: 2.5 }, usage).input).toBeCloseTo(
      (400 * 2 + 600 * 2.5) / 1e6,
      15,
    );
    expect(costOf({ input: 2 }, usage).input).toBeCloseTo(0.002, 15);
  });

  it('prices no input token twice and none negatively when the reported counts do not add up', () => {
    // More reads and writes than input: reads first, then writes, each within what is left.
    expect(costOf(claude, { input: 1_000, cachedInput: 800, cacheWriteInput: 500 }).input).toBeCloseTo(
      (800 * 0.3 + 200 * 3.75) / 1e6,
      15,
    );
    // More one-hour writes than writes: all of the writes are one-hour ones.
    expect(costOf(claude, { input: 1_000, cacheWriteInput: 100, cacheWrite1hInput: 300 }).input).toBeCloseTo(
      (900 * 3 + 100 * 6) / 1e6,
      15,
    );
    // Negative counts count as none; writes without input cost nothing.
    expect(costOf(claude, { input: 1_000, cachedInput: -5, cacheWriteInput: -5 }).input).toBeCloseTo(
      0.003,
      15,
    );
    expect(costOf(claude, { cacheWriteInput: 500, output: 0 })).toEqual({ input: 0, output: 0 });
  });

  it('prices cache writes the provider did not split by modality as text', () => {
    const price: TokenPrice = { input: 2, cacheWriteInput: 4, audioInput: 10, output: 8 };
    const parts = costParts(price, {
      input: 1_000,
      cacheWriteInput: 300,
      inputByModality: { text: 600, audio: 400 },
    });
    expect(parts).toHaveLength(2);
    expect(parts[0]).toMatchObject({ tokenType: 'input', modality: 'text' });
    expect(parts[0]?.dollars).toBeCloseTo((300 * 2 + 300 * 4) / 1e6, 15);
    expect(parts[1]).toMatchObject({ tokenType: 'input', modality: 'audio' });
    expect(parts[1]?.dollars).toBeCloseTo((400 * 10) / 1e6, 15);
  });

  describe('prompt-length tiers', () => {
    const tiered: TokenPrice = {
      input: 1.25,
      cachedInput: 0.125,
      output: 10,
      above: [
        { inputTokens: 500_000, input: 5, output: 30 },
        { inputTokens: 200_000, input: 2.5, cachedInput: 0.25, output: 15 },
      ],
    };

    it('prices a prompt of exactly the threshold at the base, one token more at the tier, the whole call', () => {
      expect(costOf(tiered, { input: 200_000, output: 1_000 })).toEqual(
        costOf({ input: 1.25, output: 10 }, { input: 200_000, output: 1_000 }),
      );
      expect(costOf(tiered, { input: 200_000, output: 1_000 }).input).toBeCloseTo(0.25, 15);
      expect(costOf(tiered, { input: 200_000, output: 1_000 }).output).toBeCloseTo(0.01, 15);
      const above = costOf(tiered, { input: 200_001, output: 1_000 });
      expect(above.input).toBeCloseTo(200_001 * 2.5e-6, 15);
      expect(above.output).toBeCloseTo(0.015, 15);
    });

    it('counts cached input and cache writes in the prompt and prices them at the tier', () => {
      // 150,000 fresh + 50,001 cached: over 200,000, so the cached tokens too are priced at the tier.
      const cost = costOf(tiered, { input: 200_001, cachedInput: 50_001 });
      expect(cost.input).toBeCloseTo((150_000 * 2.5 + 50_001 * 0.25) / 1e6, 15);
      const writes: TokenPrice = {
        input: 3,
        cacheWriteInput: 3.75,
        above: [{ inputTokens: 200_000, input: 6, cacheWriteInput: 7.5 }],
      };
      expect(costOf(writes, { input: 200_001, cacheWriteInput: 200_001 }).input).toBeCloseTo(
        200_001 * 7.5e-6,
        15,
      );
      expect(costOf(writes, { input: 200_000, cacheWriteInput: 200_000 }).input).toBeCloseTo(0.75, 15);
    });

    it('takes the highest tier the prompt exceeds, whatever their order; a field a tier leaves out stays the base one', () => {
      const cost = costOf(tiered, { input: 500_001, cachedInput: 1, output: 1_000 });
      // The 500k tier sets no cached price: the base's 0.125 stays.
      expect(cost.input).toBeCloseTo((500_000 * 5 + 1 * 0.125) / 1e6, 15);
      expect(cost.output).toBeCloseTo(0.03, 15);
      expect(costOf(tiered, { input: 500_000 }).input).toBeCloseTo(1.25, 15);
    });

    it('prices the split parts of a call at its tier', () => {
      const price: TokenPrice = {
        input: 1,
        audioInput: 3,
        output: 2,
        above: [{ inputTokens: 1_000, input: 2, audioInput: 6, output: 4 }],
      };
      const parts = costParts(price, {
        input: 1_001,
        output: 10,
        inputByModality: { text: 1, audio: 1_000 },
      });
      expect(parts.map((part) => part.dollars)).toEqual([2e-6, 6e-3, 4e-5]);
    });
  });

  it('lets a user table win per model and drops entries that are not prices, with a warning', () => {
    const warnings = captureWarnings();
    try {
      const table = mergePriceTables(BUILT_IN_PRICES, {
        'gpt-4o': { input: 1, output: 2 },
        'my-model': { input: 3 },
        broken: { input: -1 } as never,
      });
      expect(table['gpt-4o']).toEqual({ input: 1, output: 2 });
      expect(table['my-model']).toEqual({ input: 3 });
      expect(table.broken).toBeUndefined();
      expect(table['gpt-4o-mini']).toBe(BUILT_IN_PRICES['gpt-4o-mini']);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('"broken"');
    } finally {
      diag.disable();
    }
  });

  it('keeps cache-write prices and valid tiers, and drops a price whose tier is not one, with a warning', () => {
    const warnings = captureWarnings();
    const table = mergePriceTables({
      cached: { input: 3, cacheWriteInput: 3.75, cacheWrite1hInput: 6 },
      tiered: { input: 1, above: [{ inputTokens: 100, input: 2 }] },
      negativeWrite: { input: 3, cacheWriteInput: -1 },
      textWrite1h: { input: 3, cacheWrite1hInput: '6' } as never,
      notAList: { input: 1, above: { inputTokens: 100, input: 2 } } as never,
      noThreshold: { input: 1, above: [{ input: 2 }] } as never,
      negativeThreshold: { input: 1, above: [{ inputTokens: -1, input: 2 }] },
      emptyTier: { input: 1, above: [{ inputTokens: 100 }] },
      badTierPrice: { input: 1, above: [{ inputTokens: 100, output: -2 }] },
      tierWithoutTokenPrice: { perMinuteOfAudio: 0.006, above: [{ inputTokens: 100, input: 2 }] },
    });
    expect(Object.keys(table)).toEqual(['cached', 'tiered']);
    expect(warnings.map((warning) => warning.match(/"(\w+)"/)?.[1])).toEqual([
      'negativeWrite',
      'textWrite1h',
      'notAList',
      'noThreshold',
      'negativeThreshold',
      'emptyTier',
      'badTierPrice',
      'tierWithoutTokenPrice',
    ]);
    expect(warnings[0]).toContain('cacheWriteInput?, cacheWrite1hInput?');
    expect(warnings[0]).toContain('above: [{ inputTokens, ...those prices }]');
  });

  it('takes speech-to-text prices per minute of audio and text-to-speech prices per million characters', () => {
    const warnings = captureWarnings();
    const table = mergePriceTables({
      'nova-3': { perMinuteOfAudio: 0.0077 },
      sonic: { perMillionCharacters: 40 },
      both: { input: 1, perMillionCharacters: 10 },
      nothing: {},
      negative: { perMinuteOfAudio: -0.01 },
      text: { perMillionCharacters: '15' } as never,
    });
    expect(Object.keys(table)).toEqual(['nova-3', 'sonic', 'both']);
    expect(warnings.map((warning) => warning.match(/"(\w+)"/)?.[1])).toEqual(['nothing', 'negative', 'text']);

    expect(audioCostOf(table['nova-3'], 90)).toBeCloseTo(1.5 * 0.0077, 15);
    expect(characterCostOf(table.sonic, 250)).toBeCloseTo((250 * 40) / 1e6, 15);
    // Each is priced only by its own unit: a TTS model has no audio-minute price and no token price.
    expect(audioCostOf(table.sonic, 90)).toBeUndefined();
    expect(characterCostOf(table['nova-3'], 250)).toBeUndefined();
    expect(tokenPriceOf(table.sonic)).toBeUndefined();
    expect(tokenPriceOf(table.both)).toBe(table.both);
    expect(tokenPriceOf(undefined)).toBeUndefined();
  });

  it("holds OpenAI's per-minute and per-character list prices, found by their model names", () => {
    const lookup = createPriceLookup(BUILT_IN_PRICES);
    expect(audioCostOf(lookup('whisper-1'), 60)).toBe(0.006);
    expect(characterCostOf(lookup('tts-1'), 1_000_000)).toBe(15);
    expect(characterCostOf(lookup('tts-1-hd'), 1_000_000)).toBe(30);
    // Token-billed models (gpt-4o-transcribe, gpt-4o-mini-tts) have no per-minute or per-character price.
    expect(lookup('gpt-4o-mini-tts')).toBeUndefined();
  });

  it("holds Anthropic's list prices, with cache reads, five-minute and one-hour writes and long-context tiers", () => {
    expect(ANTHROPIC_PRICES_AS_OF).toBe('2026-12-07');
    // Base input, 5m cache writes, 1h cache writes, cache hits, output, as the page's table lists them.
    expect(builtIn('claude-opus-4-5', 'claude-opus-4-1', 'claude-sonnet-4-6', 'claude-haiku-4-5')).toEqual({
      'claude-opus-4-5': {
        input: 5,
        cacheWriteInput: 6.25,
        cacheWrite1hInput: 10,
        cachedInput: 0.5,
        output: 25,
      },
      'claude-opus-4-1': {
        input: 15,
        cacheWriteInput: 18.75,
        cacheWrite1hInput: 30,
        cachedInput: 1.5,
        output: 75,
      },
      'claude-sonnet-4-6': {
        input: 3,
        cacheWriteInput: 3.75,
        cacheWrite1hInput: 6,
        cachedInput: 0.3,
        output: 15,
      },
      'claude-haiku-4-5': {
        input: 1,
        cacheWriteInput: 1.25,
        cacheWrite1hInput: 2,
        cachedInput: 0.1,
        output: 5,
      },
    });
    const sonnet = tokenPriceOf(lookup('claude-sonnet-4-5-20250929')) as TokenPrice;
    // 1,000 output, 200,000 input of which 150,000 read and 20,000 written for five minutes: the base prices.
    const usage = { input: 200_000, cachedInput: 150_000, cacheWriteInput: 20_000, output: 1_000 };
    expect(costOf(sonnet, usage).input).toBeCloseTo(30_000 * 3e-6 + 150_000 * 0.3e-6 + 20_000 * 3.75e-6, 15);
    expect(costOf(sonnet, usage).input).toBeCloseTo(0.21, 15);
    expect(costOf(sonnet, usage).output).toBeCloseTo(0.015, 15);
    // One more fresh token: the whole call at $6 input, $22.50 output, the cache at 0.60 and 7.50.
    const long = costOf(sonnet, { ...usage, input: 200_001 });
    expect(long.input).toBeCloseTo(30_001 * 6e-6 + 150_000 * 0.6e-6 + 20_000 * 7.5e-6, 15);
    expect(long.output).toBeCloseTo(0.0225, 15);
    const haiku55 = tokenPriceOf(lookup('claude-haiku-5-5')) as TokenPrice;
    expect(costOf(haiku55, { input: 100_000, output: 1_000 })).toEqual({ input: 0.01, output: 0.0005 });
    const haikuLong = costOf(haiku55, {
      input: 100_001,
      cacheWriteInput: 1,
      cacheWrite1hInput: 1,
      output: 1_000,
    });
    expect(haikuLong.input).toBeCloseTo(100_000 * 0.5e-6 + 1e-6, 15);
    expect(haikuLong.output).toBeCloseTo(0.0025, 15);
  });

  it("holds Gemini's list prices, with audio input, cached input and the 2.5 Pro tier above 200k tokens", () => {
    expect(GEMINI_PRICES_AS_OF).toBe('2026-03-30');
    expect(builtIn('gemini-2.5-flash', 'gemini-2.5-flash-lite')).toEqual({
      'gemini-2.5-flash': {
        input: 0.3,
        cachedInput: 0.03,
        output: 2.5,
        audioInput: 1,
        cachedAudioInput: 0.1,
      },
      'gemini-2.5-flash-lite': {
        input: 0.1,
        cachedInput: 0.01,
        output: 0.4,
        audioInput: 0.3,
        cachedAudioInput: 0.03,
      },
    });
    const pro = tokenPriceOf(lookup('gemini-2.5-pro')) as TokenPrice;
    expect(costOf(pro, { input: 200_000, cachedInput: 100_000, output: 10_000 })).toEqual({
      input: 0.1375,
      output: 0.1,
    });
    const long = costOf(pro, { input: 200_001, cachedInput: 100_000, output: 10_000 });
    expect(long.input).toBeCloseTo(100_001 * 2.5e-6 + 100_000 * 0.25e-6, 15);
    expect(long.output).toBeCloseTo(0.15, 15);
    const preview = tokenPriceOf(lookup('gemini-3.1-pro-preview')) as TokenPrice;
    expect(costOf(preview, { input: 200_001, output: 1_000 }).output).toBeCloseTo(0.018, 15);
    // Audio reported apart is priced at the audio price.
    const flash = tokenPriceOf(lookup('gemini-2.5-flash')) as TokenPrice;
    const parts = costParts(flash, { input: 2_000, inputByModality: { text: 1_000, audio: 1_000 } });
    expect(parts.map((part) => part.dollars)).toEqual([0.0003, 0.001]);
  });
});

describe('VA_GENAI_PRICES_FILE', () => {
  const directory = mkdtempSync(join(tmpdir(), 'va-genai-prices-'));

  it('reads cache-write prices and tiers from the file', () => {
    const path = join(directory, 'anthropic.json');
    const prices = {
      'my-claude': {
        input: 3,
        cachedInput: 0.3,
        cacheWriteInput: 3.75,
        cacheWrite1hInput: 6,
        output: 15,
        above: [
          { inputTokens: 200000, input: 6, cachedInput: 0.6, cacheWriteInput: 7.5, cacheWrite1hInput: 12 },
        ],
      },
    };
    writeFileSync(path, JSON.stringify(prices));
    const table = mergePriceTables(BUILT_IN_PRICES, pricesFromEnvironment({ VA_GENAI_PRICES_FILE: path }));
    const price = tokenPriceOf(createPriceLookup(table)('my-claude-20260101')) as TokenPrice;
    expect(price).toEqual(prices['my-claude']);
    const usage = { input: 200_001, cachedInput: 1, cacheWriteInput: 2, cacheWrite1hInput: 1, output: 0 };
    expect(costOf(price, usage).input).toBeCloseTo((199_998 * 6 + 0.6 + 7.5 + 12) / 1e6, 15);
  });

  it('reads a file once per process, whoever asks, and warns once about one it cannot use', () => {
    const warnings = captureWarnings();
    const good = join(directory, 'good.json');
    writeFileSync(good, JSON.stringify({ 'nova-3': { perMinuteOfAudio: 0.0077 } }));
    const first = pricesFromEnvironment({ VA_GENAI_PRICES_FILE: good });
    expect(first).toEqual({ 'nova-3': { perMinuteOfAudio: 0.0077 } });
    writeFileSync(good, JSON.stringify({ changed: { input: 1 } }));
    expect(pricesFromEnvironment({ VA_GENAI_PRICES_FILE: good })).toBe(first);

    const broken = join(directory, 'broken.json');
    writeFileSync(broken, '[1, 2]');
    expect(pricesFromEnvironment({ VA_GENAI_PRICES_FILE: broken })).toBeUndefined();
    expect(pricesFromEnvironment({ VA_GENAI_PRICES_FILE: broken })).toBeUndefined();
    expect(pricesFromEnvironment({ VA_GENAI_PRICES_FILE: join(directory, 'missing.json') })).toBeUndefined();
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain(`VA_GENAI_PRICES_FILE=${broken} could not be used`);
    expect(warnings[1]).toContain('missing.json could not be used');
    expect(pricesFromEnvironment({})).toBeUndefined();
  });
});
