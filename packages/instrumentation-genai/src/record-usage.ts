import type { Attributes } from '@opentelemetry/api';
import { createLogOnce } from '@va/instrumentation-base';
import { withAttribute } from './attribute-sets.js';
import type { GenAIInstruments } from './genai-instruments.js';
import { costParts, type ModelPrice, tokenPriceOf } from './prices.js';
import { modalityParts, tokenParts } from './token-parts.js';
import type { TokenModality, TokenUsage } from './token-usage.js';

/** One line per model without a price: its every call would otherwise repeat it. */
const noteUnpricedModel = createLogOnce('debug');

/** Whose usage it is: the response of a call, or of a Realtime session. */
export interface UsageSource {
  /** The price of a model: the price table the usage is priced by. */
  readonly priceOf: (model: string) => ModelPrice | undefined;
  /** The recorded set: operation, provider, request model, response model, server address and port. */
  readonly attributes: Attributes;
  readonly requestModel: string | undefined;
  /** The model as the provider reported it, before any normalising: what its price is found by. */
  readonly reportedResponseModel: string | undefined;
  /** The model as recorded on `gen_ai.response.model`. */
  readonly responseModel: string | undefined;
  /**
   * A source that records the same sets again and again (a Realtime session, every response) keeps them
   * here, frozen: @va/otel-sdk resolves a frozen set to its series once, and later records skip the hash.
   * Without it each record gets a fresh set, as a single call needs.
   */
  readonly attributeSets?: Map<string, Attributes>;
}

/** The set for `key`: the source's kept one, else built (and kept, frozen, when the source keeps sets). */
function setOf(source: UsageSource, key: string, build: () => Attributes): Attributes {
  const kept = source.attributeSets?.get(key);
  if (kept !== undefined) return kept;
  const built = build();
  if (source.attributeSets !== undefined) source.attributeSets.set(key, Object.freeze(built));
  return built;
}

function withModality(attributes: Attributes, modality: TokenModality | undefined): Attributes {
  return modality === undefined ? attributes : withAttribute(attributes, 'gen_ai.token.modality', modality);
}

/**
 * Records one usage record: the token usage histogram by `gen_ai.token.type` (and `gen_ai.token.modality`
 * where the provider split the type), the cached-input, cache-write and reasoning-output counters, and
 * the cost.
 */
export function recordUsage(instruments: GenAIInstruments, source: UsageSource, usage: TokenUsage): void {
  const { attributes } = source;
  for (const part of tokenParts(usage)) {
    instruments.tokenUsage.record(
      part.tokens,
      setOf(source, `tokens ${part.tokenType} ${part.modality}`, () =>
        withModality(withAttribute(attributes, 'gen_ai.token.type', part.tokenType), part.modality),
      ),
    );
  }
  if (usage.cachedInputByModality !== undefined) {
    for (const { modality, tokens } of modalityParts(usage.cachedInputByModality)) {
      instruments.cachedInputTokens.add(
        tokens,
        setOf(source, `cached ${modality}`, () => withModality(attributes, modality)),
      );
    }
  } else if (usage.cachedInput !== undefined)
    instruments.cachedInputTokens.add(usage.cachedInput, attributes);
  if (usage.cacheWriteInput !== undefined)
    instruments.cacheWriteInputTokens.add(usage.cacheWriteInput, attributes);
  if (usage.reasoningOutput !== undefined)
    instruments.reasoningOutputTokens.add(usage.reasoningOutput, attributes);
  recordCost(instruments, source, usage);
}

function recordCost(instruments: GenAIInstruments, source: UsageSource, usage: TokenUsage): void {
  const { priceOf, requestModel } = source;
  const pricedModel = source.reportedResponseModel ?? requestModel;
  if (pricedModel === undefined) return;
  const price =
    tokenPriceOf(priceOf(pricedModel)) ??
    (requestModel === undefined ? undefined : tokenPriceOf(priceOf(requestModel)));
  if (price === undefined) {
    noteUnpricedModel(
      pricedModel,
      `@va/instrumentation-genai: no price for model ${JSON.stringify(pricedModel)}; its calls record no cost`,
    );
    return;
  }
  for (const part of costParts(price, usage)) {
    instruments.cost.add(
      part.dollars,
      setOf(source, `cost ${part.tokenType} ${part.modality}`, () =>
        costAttributes(source, part.tokenType, part.modality),
      ),
    );
  }
}

/** The cost counter's set: the call's, without server address and port. */
function costAttributes(
  source: UsageSource,
  tokenType: string,
  modality: TokenModality | undefined,
): Attributes {
  const attributes: Attributes = {
    'gen_ai.operation.name': source.attributes['gen_ai.operation.name'],
    'gen_ai.provider.name': source.attributes['gen_ai.provider.name'],
  };
  const requestModel = source.attributes['gen_ai.request.model'];
  if (requestModel !== undefined) attributes['gen_ai.request.model'] = requestModel;
  if (source.responseModel !== undefined) attributes['gen_ai.response.model'] = source.responseModel;
  attributes['gen_ai.token.type'] = tokenType;
  if (modality !== undefined) attributes['gen_ai.token.modality'] = modality;
  return attributes;
}
