import { diag } from '@opentelemetry/api';
import { isSnapshotOf } from './model-names.js';
import type { TokenUsage } from './usage.js';

/** US dollars per million tokens. `cachedInput` defaults to `input`; `output` to nothing (embeddings). */
export interface ModelPrice {
  readonly input: number;
  readonly cachedInput?: number;
  readonly output?: number;
}

export type PriceTable = Readonly<Record<string, ModelPrice>>;

export interface Cost {
  readonly input: number;
  readonly output: number;
}

function isPrice(value: unknown): value is ModelPrice {
  if (value === null || typeof value !== 'object') return false;
  const price = value as Record<string, unknown>;
  const valid = (field: unknown, optional: boolean) =>
    (optional && field === undefined) || (typeof field === 'number' && Number.isFinite(field) && field >= 0);
  return valid(price.input, false) && valid(price.cachedInput, true) && valid(price.output, true);
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
          `@va/instrumentation-openai: ignoring the price of ${JSON.stringify(model)}: expected { input, cachedInput?, output? } in USD per million tokens, each a number >= 0`,
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
export function costOf(price: ModelPrice, usage: TokenUsage): Cost {
  const input = usage.input ?? 0;
  const cached = Math.min(usage.cachedInput ?? 0, input);
  const inputCost =
    ((input - cached) * price.input + cached * (price.cachedInput ?? price.input)) / 1_000_000;
  const outputCost = ((usage.output ?? 0) * (price.output ?? 0)) / 1_000_000;
  return { input: inputCost, output: outputCost };
}
