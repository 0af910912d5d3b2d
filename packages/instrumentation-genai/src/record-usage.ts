import type { Attributes } from '@opentelemetry/api';
import { createLogOnce } from '@va/instrumentation-base';
import { withAttribute } from './attribute-sets.js';
import type { GenAIInstruments } from './genai-instruments.js';
import { recordInferenceUsage, UNKNOWN_MODALITY } from './inference-usage.js';
import { costParts, tokenPriceOf } from './prices.js';
import { modalityParts, tokenParts } from './token-parts.js';
import type { TokenModality, TokenUsage } from './token-usage.js';
import { setOf, type UsageSource, withModality } from './usage-source.js';

/** One line per model without a price: its every call would otherwise repeat it. */
const noteUnpricedModel = createLogOnce('debug');

/**
 * Records one call's usage, or its lack (`undefined`): under today's names the token usage histogram by `gen_ai.token.type` (and `gen_ai.token.modality`
 * where the provider split the type), the cached-input, cache-write and reasoning-output counters, and
 * the cost; under the 2026 names (recordInferenceUsage) the usage counters and per-call histograms, the
 * cache and reasoning counters by modality, and the cost, recorded once in every mode.
 */
export function recordUsage(
  instruments: GenAIInstruments,
  source: UsageSource,
  usage: TokenUsage | undefined,
): void {
  if (instruments.latest !== undefined) recordInferenceUsage(instruments.latest, source, usage);
  if (usage === undefined) return;
  const { attributes } = source;
  // The 2026 conventions require a modality on every counter point: `unknown` where the provider gave no split.
  const unsplit =
    instruments.latest === undefined
      ? attributes
      : setOf(source, `unsplit ${UNKNOWN_MODALITY}`, () => withModality(attributes, UNKNOWN_MODALITY));
  const tokenPoints = instruments.conventions.current ? tokenParts(usage) : [];
  for (const part of tokenPoints) {
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
  } else if (usage.cachedInput !== undefined) instruments.cachedInputTokens.add(usage.cachedInput, unsplit);
  if (usage.cacheWriteInput !== undefined)
    instruments.cacheWriteInputTokens.add(usage.cacheWriteInput, unsplit);
  if (usage.reasoningOutput !== undefined)
    instruments.reasoningOutputTokens.add(usage.reasoningOutput, unsplit);
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
