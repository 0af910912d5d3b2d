import { diag } from '@opentelemetry/api';
import { isSnapshotOf } from './model-names.js';
import { priceForPrompt } from './prompt-tiers.js';
import { modalityParts, type TokenType } from './token-parts.js';
import type { TokenModality, TokenUsage } from './token-usage.js';

/**
 * Token prices in US dollars per million tokens. `input` prices a model billed by the token; of the
 * input, tokens read from the prompt cache are priced at `cachedInput` and tokens written to it at
 * `cacheWriteInput` (Anthropic's five-minute writes) or `cacheWrite1hInput` (its one-hour writes); each
 * defaults to `input`, `cacheWrite1hInput` to `cacheWriteInput`. `output` defaults to nothing
 * (embeddings). The audio and image prices apply only to tokens the provider splits by modality (the
 * Realtime API); a modality without its own price is priced as text, and its cached price defaults to its
 * own input price.
 */
export interface TokenRates {
  readonly input?: number;
  readonly cachedInput?: number;
  readonly cacheWriteInput?: number;
  readonly cacheWrite1hInput?: number;
  readonly output?: number;
  readonly audioInput?: number;
  readonly cachedAudioInput?: number;
  readonly audioOutput?: number;
  readonly imageInput?: number;
  readonly cachedImageInput?: number;
}

/**
 * The prices of a call whose prompt is longer than `inputTokens` (input tokens, cached ones and cache
 * writes included): its fields replace the model's, and those it leaves out stay the model's.
 */
export interface PromptTier extends TokenRates {
  readonly inputTokens: number;
}

/**
 * A model's price, in US dollars: token prices (`TokenRates`), the tiers of a model priced by prompt
 * length (`above`: the whole call is priced at the highest tier whose `inputTokens` its prompt exceeds),
 * and the prices of speech billed otherwise: speech to text billed by audio length takes
 * `perMinuteOfAudio`; text to speech billed by the character, `perMillionCharacters`.
 */
export interface ModelPrice extends TokenRates {
  readonly above?: ReadonlyArray<PromptTier>;
  readonly perMinuteOfAudio?: number;
  readonly perMillionCharacters?: number;
}

/** A price with a token price: what token usage is priced by. */
export type TokenPrice = ModelPrice & { readonly input: number };

export type PriceTable = Readonly<Record<string, ModelPrice>>;

export interface Cost {
  readonly input: number;
  readonly output: number;
}

const TOKEN_RATE_FIELDS = [
  'input',
  'cachedInput',
  'cacheWriteInput',
  'cacheWrite1hInput',
  'output',
  'audioInput',
  'cachedAudioInput',
  'audioOutput',
  'imageInput',
  'cachedImageInput',
] as const satisfies ReadonlyArray<keyof TokenRates>;

const PRICE_FIELDS = [
  ...TOKEN_RATE_FIELDS,
  'perMinuteOfAudio',
  'perMillionCharacters',
] as const satisfies ReadonlyArray<keyof ModelPrice>;

function isAmount(field: unknown): field is number {
  return typeof field === 'number' && Number.isFinite(field) && field >= 0;
}

function isTier(value: unknown): value is PromptTier {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const tier = value as Record<string, unknown>;
  return (
    isAmount(tier.inputTokens) &&
    TOKEN_RATE_FIELDS.some((name) => tier[name] !== undefined) &&
    TOKEN_RATE_FIELDS.every((name) => tier[name] === undefined || isAmount(tier[name]))
  );
}

function isPrice(value: unknown): value is ModelPrice {
  if (value === null || typeof value !== 'object') return false;
  const price = value as Record<string, unknown>;
  const billed =
    price.input !== undefined ||
    price.perMinuteOfAudio !== undefined ||
    price.perMillionCharacters !== undefined;
  const tiers =
    price.above === undefined ||
    (price.input !== undefined && Array.isArray(price.above) && price.above.every(isTier));
  return billed && tiers && PRICE_FIELDS.every((name) => price[name] === undefined || isAmount(price[name]));
}

/** The price's token part, if it prices tokens. */
export function tokenPriceOf(price: ModelPrice | undefined): TokenPrice | undefined {
  return price?.input === undefined ? undefined : (price as TokenPrice);
}

/**
 * Merges price tables, later ones winning per model. Entries that are not prices are dropped with a
 * warning, so one typo in a user's table costs that model its cost series, not the app its start.
 */
export function mergePriceTables(...tables: ReadonlyArray<PriceTable | undefined>): PriceTable {
  const merged: Record<string, ModelPrice> = {};
  for (const table of tables) {
    if (table === undefined) continue;
    for (const [model, price] of Object.entries(table)) {
      if (isPrice(price)) merged[model] = price;
      else
        diag.warn(
          `@va/instrumentation-genai: ignoring the price of ${JSON.stringify(model)}: expected { input?, cachedInput?, cacheWriteInput?, cacheWrite1hInput?, output?, audioInput?, cachedAudioInput?, audioOutput?, imageInput?, cachedImageInput? } in USD per million tokens, optionally with above: [{ inputTokens, ...those prices }] for longer prompts, and/or { perMinuteOfAudio? } in USD per minute, { perMillionCharacters? } in USD per million characters, each a number >= 0, at least one of input, perMinuteOfAudio and perMillionCharacters`,
        );
    }
  }
  return Object.freeze(merged);
}

/**
 * Finds a model's price: the exact name first, else the table entry it is a snapshot of
 * (`gpt-4o-2024-08-06` → `gpt-4o`, `claude-sonnet-4-5-20250929` → `claude-sonnet-4-5`,
 * `gemini-2.0-flash-001` → `gemini-2.0-flash`: see `withoutSnapshotSuffix`). Only those version
 * suffixes match, so `gpt-4o-audio-preview` does not get `gpt-4o`'s price.
 */
export function createPriceLookup(table: PriceTable): (model: string) => ModelPrice | undefined {
  const found = new Map<string, ModelPrice | undefined>();
  const models = Object.keys(table);
  return (model) => {
    if (found.has(model)) return found.get(model);
    let price: ModelPrice | undefined = table[model];
    if (price === undefined) {
      const base = models.find((candidate) => isSnapshotOf(model, candidate));
      price = base === undefined ? undefined : table[base];
    }
    // Bounded: a runaway set of model names must not grow this cache without limit.
    if (found.size < 1000) found.set(model, price);
    return price;
  };
}

/** How a call's input tokens divide: each of them is in exactly one part. */
interface InputSplit {
  readonly uncached: number;
  readonly cached: number;
  readonly written5m: number;
  readonly written1h: number;
}

/** Clamped so no token is priced twice or negatively: reads first, then writes, the rest uncached. */
function splitInput(tokens: number, cached: number, written: number, written1h: number): InputSplit {
  const total = Math.max(tokens, 0);
  const reads = Math.min(Math.max(cached, 0), total);
  const writes = Math.min(Math.max(written, 0), total - reads);
  const writes1h = Math.min(Math.max(written1h, 0), writes);
  return {
    uncached: total - reads - writes,
    cached: reads,
    written5m: writes - writes1h,
    written1h: writes1h,
  };
}

function inputDollars(split: InputSplit, rates: ModalityRates): number {
  return (
    (split.uncached * rates.input +
      split.cached * rates.cached +
      split.written5m * rates.write5m +
      split.written1h * rates.write1h) /
    1_000_000
  );
}

/**
 * Dollars for the tokens of one call, at the prices of its prompt's length (`above`): cache reads at the
 * cached price, cache writes at the five-minute or one-hour write price, the rest of the input at the
 * input price.
 */
export function costOf(price: TokenPrice, usage: TokenUsage): Cost {
  const rates = priceForPrompt(price, usage.input ?? 0);
  const split = splitInput(
    usage.input ?? 0,
    usage.cachedInput ?? 0,
    usage.cacheWriteInput ?? 0,
    usage.cacheWrite1hInput ?? 0,
  );
  const outputCost = ((usage.output ?? 0) * (rates.output ?? 0)) / 1_000_000;
  return { input: inputDollars(split, pricesOf(rates, 'text')), output: outputCost };
}

interface ModalityRates {
  readonly input: number;
  readonly cached: number;
  readonly write5m: number;
  readonly write1h: number;
  readonly output: number;
}

/** The prices of one modality, with the fallbacks `TokenRates` documents; only text is written to a cache. */
function pricesOf(price: TokenPrice, modality: TokenModality): ModalityRates {
  const write5m = price.cacheWriteInput ?? price.input;
  const text = {
    input: price.input,
    cached: price.cachedInput ?? price.input,
    write5m,
    write1h: price.cacheWrite1hInput ?? write5m,
    output: price.output ?? 0,
  };
  if (modality === 'audio') {
    return {
      ...text,
      input: price.audioInput ?? text.input,
      cached: price.cachedAudioInput ?? price.audioInput ?? text.cached,
      output: price.audioOutput ?? text.output,
    };
  }
  if (modality === 'image') {
    return {
      ...text,
      input: price.imageInput ?? text.input,
      cached: price.cachedImageInput ?? price.imageInput ?? text.cached,
    };
  }
  return text;
}

/** One point of the cost counter: the dollars of one token type, and of one modality where usage is split. */
export interface CostPart {
  readonly tokenType: TokenType;
  readonly modality: TokenModality | undefined;
  readonly dollars: number;
}

/**
 * The cost of one usage record in the same parts as its token points, at the prices of its prompt's
 * length: a type recorded whole is priced whole (`costOf`), a split one per modality at that modality's
 * prices, its cached tokens at the modality's cached price. A cached count or a cache write the provider
 * did not split belongs to text.
 */
export function costParts(price: TokenPrice, usage: TokenUsage): CostPart[] {
  const parts: CostPart[] = [];
  const whole = costOf(price, usage);
  const rates = priceForPrompt(price, usage.input ?? 0);
  if (usage.input !== undefined) {
    if (usage.inputByModality === undefined) {
      parts.push({ tokenType: 'input', modality: undefined, dollars: whole.input });
    } else {
      for (const { modality, tokens } of modalityParts(usage.inputByModality)) {
        const reportedCached =
          usage.cachedInputByModality === undefined
            ? modality === 'text'
              ? (usage.cachedInput ?? 0)
              : 0
            : (usage.cachedInputByModality[modality] ?? 0);
        const text = modality === 'text';
        const split = splitInput(
          tokens,
          reportedCached,
          text ? (usage.cacheWriteInput ?? 0) : 0,
          text ? (usage.cacheWrite1hInput ?? 0) : 0,
        );
        parts.push({ tokenType: 'input', modality, dollars: inputDollars(split, pricesOf(rates, modality)) });
      }
    }
  }
  if (usage.output !== undefined) {
    if (usage.outputByModality === undefined) {
      parts.push({ tokenType: 'output', modality: undefined, dollars: whole.output });
    } else {
      for (const { modality, tokens } of modalityParts(usage.outputByModality)) {
        parts.push({
          tokenType: 'output',
          modality,
          dollars: (tokens * pricesOf(rates, modality).output) / 1_000_000,
        });
      }
    }
  }
  return parts;
}

/** Dollars for `seconds` of audio transcribed, when the model is priced by the minute. */
export function audioCostOf(price: ModelPrice | undefined, seconds: number): number | undefined {
  const perMinute = price?.perMinuteOfAudio;
  return perMinute === undefined ? undefined : (seconds / 60) * perMinute;
}

/** Dollars for `characters` synthesised, when the model is priced by the character. */
export function characterCostOf(price: ModelPrice | undefined, characters: number): number | undefined {
  const perMillion = price?.perMillionCharacters;
  return perMillion === undefined ? undefined : (characters * perMillion) / 1_000_000;
}
