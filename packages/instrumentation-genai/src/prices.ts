import { diag } from '@opentelemetry/api';
import { isSnapshotOf } from './model-names.js';
import { modalityParts, type TokenType } from './token-parts.js';
import type { TokenModality, TokenUsage } from './token-usage.js';

/**
 * A model's price, in US dollars. Token prices are per million tokens: `input` prices a model billed by
 * the token, `cachedInput` defaults to it and `output` to nothing (embeddings). The audio and image prices
 * apply only to tokens the provider splits by modality (the Realtime API); a modality without its own price
 * is priced as text, and its cached price defaults to its own input price. Speech to text billed by audio
 * length takes `perMinuteOfAudio`; text to speech billed by the character, `perMillionCharacters`.
 */
export interface ModelPrice {
  readonly input?: number;
  readonly cachedInput?: number;
  readonly output?: number;
  readonly audioInput?: number;
  readonly cachedAudioInput?: number;
  readonly audioOutput?: number;
  readonly imageInput?: number;
  readonly cachedImageInput?: number;
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

const PRICE_FIELDS = [
  'input',
  'cachedInput',
  'output',
  'audioInput',
  'cachedAudioInput',
  'audioOutput',
  'imageInput',
  'cachedImageInput',
  'perMinuteOfAudio',
  'perMillionCharacters',
] as const satisfies ReadonlyArray<keyof ModelPrice>;

function isPrice(value: unknown): value is ModelPrice {
  if (value === null || typeof value !== 'object') return false;
  const price = value as Record<string, unknown>;
  const valid = (field: unknown) =>
    field === undefined || (typeof field === 'number' && Number.isFinite(field) && field >= 0);
  const billed =
    price.input !== undefined ||
    price.perMinuteOfAudio !== undefined ||
    price.perMillionCharacters !== undefined;
  return billed && PRICE_FIELDS.every((name) => valid(price[name]));
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
          `@va/instrumentation-genai: ignoring the price of ${JSON.stringify(model)}: expected { input?, cachedInput?, output?, audioInput?, cachedAudioInput?, audioOutput?, imageInput?, cachedImageInput? } in USD per million tokens and/or { perMinuteOfAudio? } in USD per minute, { perMillionCharacters? } in USD per million characters, each a number >= 0, at least one of input, perMinuteOfAudio and perMillionCharacters`,
        );
    }
  }
  return Object.freeze(merged);
}

/**
 * Finds a model's price: the exact name first, else the table entry it is a dated snapshot of
 * (`gpt-4o-2024-08-06` → `gpt-4o`). Only date suffixes match, so `gpt-4o-audio-preview` does not
 * get `gpt-4o`'s price.
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

/** Dollars for the tokens of one call; cached input is priced at the cached rate. */
export function costOf(price: TokenPrice, usage: TokenUsage): Cost {
  const input = usage.input ?? 0;
  const cached = Math.min(usage.cachedInput ?? 0, input);
  const inputCost =
    ((input - cached) * price.input + cached * (price.cachedInput ?? price.input)) / 1_000_000;
  const outputCost = ((usage.output ?? 0) * (price.output ?? 0)) / 1_000_000;
  return { input: inputCost, output: outputCost };
}

/** The input, cached input and output price of one modality, with the fallbacks `ModelPrice` documents. */
function pricesOf(
  price: TokenPrice,
  modality: TokenModality,
): { input: number; cached: number; output: number } {
  const text = { input: price.input, cached: price.cachedInput ?? price.input, output: price.output ?? 0 };
  if (modality === 'audio') {
    return {
      input: price.audioInput ?? text.input,
      cached: price.cachedAudioInput ?? price.audioInput ?? text.cached,
      output: price.audioOutput ?? text.output,
    };
  }
  if (modality === 'image') {
    return {
      input: price.imageInput ?? text.input,
      cached: price.cachedImageInput ?? price.imageInput ?? text.cached,
      output: text.output,
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
 * The cost of one usage record in the same parts as its token points: a type recorded whole is priced
 * whole (`costOf`), a split one per modality at that modality's prices, its cached tokens at the
 * modality's cached price. A cached count the provider did not split belongs to text.
 */
export function costParts(price: TokenPrice, usage: TokenUsage): CostPart[] {
  const parts: CostPart[] = [];
  const whole = costOf(price, usage);
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
        const cached = Math.min(reportedCached, tokens);
        const rates = pricesOf(price, modality);
        const dollars = ((tokens - cached) * rates.input + cached * rates.cached) / 1_000_000;
        parts.push({ tokenType: 'input', modality, dollars });
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
          dollars: (tokens * pricesOf(price, modality).output) / 1_000_000,
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
