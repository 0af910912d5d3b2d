import type { Counter } from '@opentelemetry/api';
import { type InferenceInstruments, operationFamilyOf } from './inference-instruments.js';
import { modalityParts } from './token-parts.js';
import type { ModalityCounts, TokenUsage } from './token-usage.js';
import { setOf, type UsageSource, withModality } from './usage-source.js';

/** What the 2026 conventions call a count whose modality the provider did not report. */
export const UNKNOWN_MODALITY = 'unknown';

function addByModality(
  counter: Counter,
  source: UsageSource,
  key: string,
  total: number | undefined,
  split: ModalityCounts | undefined,
): void {
  if (total === undefined || split === undefined) {
    // A call without usage adds 0 under `unknown`, as the conventions ask: its call still shows in the counter.
    counter.add(
      total ?? 0,
      setOf(source, `${key} ${UNKNOWN_MODALITY}`, () => withModality(source.attributes, UNKNOWN_MODALITY)),
    );
    return;
  }
  for (const { modality, tokens } of modalityParts(split)) {
    counter.add(
      tokens,
      setOf(source, `${key} ${modality}`, () => withModality(source.attributes, modality)),
    );
  }
}

/**
 * Records a call's usage under the 2026 GenAI conventions: the input and output usage counters by
 * modality (`unknown` where the provider gave no split; 0 under `unknown` for a call that reported no
 * usage) and, for a call that succeeded, the per-call token histograms; an embeddings call records only its
 * input tokens per call. The cache and reasoning counters, shared with today's names, are recordUsage's.
 */
export function recordInferenceUsage(
  latest: InferenceInstruments,
  source: UsageSource,
  usage: TokenUsage | undefined,
): void {
  const { attributes } = source;
  const family = operationFamilyOf(attributes['gen_ai.operation.name']);
  if (family === 'embeddings') {
    if (usage?.input !== undefined && source.failed !== true)
      latest.embeddingsInputTokens.record(usage.input, attributes);
    return;
  }
  addByModality(latest.inputTokens, source, 'latest input', usage?.input, usage?.inputByModality);
  addByModality(latest.outputTokens, source, 'latest output', usage?.output, usage?.outputByModality);
  if (family !== 'inference' || source.failed === true || usage === undefined) return;
  if (usage.input !== undefined) latest.operationInputTokens.record(usage.input, attributes);
  if (usage.output !== undefined) latest.operationOutputTokens.record(usage.output, attributes);
}
