import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiagLogLevel, diag } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import {
  audioCostOf,
  BUILT_IN_PRICES,
  characterCostOf,
  costOf,
  createPriceLookup,
  mergePriceTables,
  pricesFromEnvironment,
  tokenPriceOf,
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

describe('prices', () => {
  const lookup = createPriceLookup(BUILT_IN_PRICES);

  it('finds a dated snapshot by its base model, and only date suffixes', () => {
    expect(lookup('gpt-4o-mini-2024-07-18')).toBe(BUILT_IN_PRICES['gpt-4o-mini']);
    expect(lookup('gpt-4o-2024-08-06')).toBe(BUILT_IN_PRICES['gpt-4o']);
    expect(lookup('gpt-4-turbo')).toBe(BUILT_IN_PRICES['gpt-4-turbo']);
    expect(lookup('gpt-4o-audio-preview')).toBeUndefined();
    expect(lookup('llama-3-70b')).toBeUndefined();
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
});

describe('VA_GENAI_PRICES_FILE', () => {
  const directory = mkdtempSync(join(tmpdir(), 'va-genai-prices-'));

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
