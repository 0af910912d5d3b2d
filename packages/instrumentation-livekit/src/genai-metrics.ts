import type { Attributes } from '@opentelemetry/api';
import {
  audioCostOf,
  BUILT_IN_PRICES,
  characterCostOf,
  createPriceLookup,
  type GenAIInstruments,
  genAIInstrumentsOf,
  histogramsFor,
  type ModalityCounts,
  type ModelPrice,
  mergePriceTables,
  pricesFromEnvironment,
  recordUsage,
  type TokenUsage,
} from '@va/instrumentation-genai';
import type {
  LLMMetrics,
  MetricsMetadata,
  ModalityTokenDetails,
  RealtimeModelMetrics,
  STTMetrics,
  TTSMetrics,
} from './livekit-events.js';
import { nonNegative } from './non-negative.js';
import type { LiveKitSessionOptions } from './options.js';
import { providerNameOf } from './provider-name.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';

const SCOPE = { name: PACKAGE_NAME, version: PACKAGE_VERSION };

/** The OpenAI plugin's LLMs that call through the `openai` client, by the `label` their metrics carry. */
const OPENAI_CLIENT_LABELS: ReadonlySet<string> = new Set(['openai.LLM', 'openai.responses.LLM']);

/** LiveKit's per-modality counts (`textTokens` …), when they add up to the total they split. */
function modalityCounts(total: number | undefined, details: ModalityTokenDetails | undefined) {
  if (total === undefined || details === undefined || details === null) return undefined;
  const counts: { text?: number; audio?: number; image?: number } = {};
  let sum = 0;
  for (const [modality, field] of [
    ['text', 'textTokens'],
    ['audio', 'audioTokens'],
    ['image', 'imageTokens'],
  ] as const) {
    const tokens = nonNegative(details[field]);
    if (tokens === undefined) continue;
    counts[modality] = tokens;
    sum += tokens;
  }
  return sum === total ? (counts as ModalityCounts) : undefined;
}

/**
 * The GenAI metrics of what a session's plugins report: each LLM call's and realtime-model response's
 * duration, time to first chunk, tokens and cost (through @va/instrumentation-genai, the rules every @va
 * GenAI instrumentation counts by), and the spend of its speech to text (per minute of audio) and text to
 * speech (per character), priced by the same table.
 */
export class GenAIMetrics {
  private readonly _options: LiveKitSessionOptions;
  private readonly _priceOf: (model: string) => ModelPrice | undefined;

  constructor(options: LiveKitSessionOptions) {
    this._options = options;
    this._priceOf = createPriceLookup(
      mergePriceTables(
        options.builtInPrices === false ? undefined : BUILT_IN_PRICES,
        pricesFromEnvironment(),
        options.prices,
      ),
    );
  }

  /** Looked up per record, so an app may start its SDK after instrumenting the session. */
  private get _instruments(): GenAIInstruments {
    return genAIInstrumentsOf(SCOPE, this._options.meterProvider);
  }

  llm(metrics: LLMMetrics): void {
    // Exactly once: @va/instrumentation-openai already recorded this call where it was made.
    if (this._options.openAIClientMeasured === true && OPENAI_CLIENT_LABELS.has(String(metrics.label)))
      return;
    this._call('chat', metrics, {
      input: nonNegative(metrics.promptTokens),
      output: nonNegative(metrics.completionTokens),
      cachedInput: nonNegative(metrics.promptCachedTokens),
    });
  }

  realtime(metrics: RealtimeModelMetrics): void {
    const input = nonNegative(metrics.inputTokens);
    const output = nonNegative(metrics.outputTokens);
    const inputDetails = metrics.inputTokenDetails ?? undefined;
    const cachedInput = nonNegative(inputDetails?.cachedTokens);
    this._call('realtime_inference', metrics, {
      input,
      output,
      cachedInput,
      inputByModality: modalityCounts(input, inputDetails),
      cachedInputByModality: modalityCounts(cachedInput, inputDetails?.cachedTokensDetails ?? undefined),
      outputByModality: modalityCounts(output, metrics.outputTokenDetails ?? undefined),
    });
  }

  /** The spend of transcribing `metrics.audioDurationMs`, at the model's price per minute of audio. */
  transcription(metrics: STTMetrics): void {
    const seconds = nonNegative(metrics.audioDurationMs);
    if (seconds === undefined || seconds === 0) return;
    this._spend('transcription', metrics, (price) => audioCostOf(price, seconds / 1000));
  }

  /** The spend of synthesising `characters`, at the model's price per character. */
  speech(metrics: TTSMetrics, characters: number): void {
    if (characters === 0) return;
    this._spend('speech', metrics, (price) => characterCostOf(price, characters));
  }

  private _call(operation: string, metrics: LLMMetrics | RealtimeModelMetrics, usage: TokenUsage): void {
    const attributes = attributesOf(operation, metrics);
    const instruments = this._instruments;
    const duration = nonNegative(metrics.durationMs);
    if (duration !== undefined) {
      for (const histogram of histogramsFor(instruments, 'duration', operation))
        histogram.record(duration / 1000, attributes);
    }
    const firstChunk = nonNegative(metrics.ttftMs);
    if (firstChunk !== undefined) {
      for (const histogram of histogramsFor(instruments, 'timeToFirstChunk', operation))
        histogram.record(firstChunk / 1000, attributes);
    }
    const model = modelOf(metrics.metadata);
    recordUsage(
      instruments,
      {
        priceOf: this._priceOf,
        attributes,
        requestModel: model,
        reportedResponseModel: undefined,
        responseModel: undefined,
      },
      usage,
    );
  }

  private _spend(
    operation: string,
    metrics: STTMetrics | TTSMetrics,
    costOf: (price: ModelPrice | undefined) => number | undefined,
  ): void {
    const model = modelOf(metrics.metadata);
    if (model === undefined) return;
    const dollars = costOf(this._priceOf(model));
    if (dollars === undefined) return;
    this._instruments.cost.add(dollars, attributesOf(operation, metrics));
  }
}

function modelOf(metadata: MetricsMetadata | undefined): string | undefined {
  const model = metadata?.modelName;
  return typeof model === 'string' && model.length > 0 ? model : undefined;
}

function attributesOf(
  operation: string,
  metrics: LLMMetrics | RealtimeModelMetrics | STTMetrics | TTSMetrics,
): Attributes {
  const attributes: Attributes = {
    'gen_ai.operation.name': operation,
    'gen_ai.provider.name': providerNameOf(metrics.metadata?.modelProvider, metrics.label),
  };
  const model = modelOf(metrics.metadata);
  if (model !== undefined) attributes['gen_ai.request.model'] = model;
  return attributes;
}
