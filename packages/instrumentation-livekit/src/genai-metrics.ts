import type { Attributes, Counter, Histogram, MeterProvider } from '@opentelemetry/api';
import {
  createCounterFor,
  createHistogramFor,
  GEN_AI_CLIENT_CACHE_READ_INPUT_TOKENS,
  GEN_AI_CLIENT_OPERATION_DURATION,
  GEN_AI_CLIENT_OPERATION_TIME_TO_FIRST_CHUNK,
  GEN_AI_CLIENT_TOKEN_USAGE,
  vaMeterProvider,
} from '@va/semconv';
import type { LLMMetrics, ModalityTokenDetails, RealtimeModelMetrics } from './livekit-events.js';
import { nonNegative } from './non-negative.js';
import type { LiveKitSessionOptions } from './options.js';
import { providerNameOf } from './provider-name.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';

interface Instruments {
  readonly duration: Histogram;
  readonly timeToFirstChunk: Histogram;
  readonly tokenUsage: Histogram;
  readonly cachedInputTokens: Counter;
}

const byProvider = new WeakMap<MeterProvider, Instruments>();

function instrumentsOf(meterProvider: MeterProvider): Instruments {
  let instruments = byProvider.get(meterProvider);
  if (instruments === undefined) {
    const meter = meterProvider.getMeter(PACKAGE_NAME, PACKAGE_VERSION);
    instruments = {
      duration: createHistogramFor(meter, GEN_AI_CLIENT_OPERATION_DURATION),
      timeToFirstChunk: createHistogramFor(meter, GEN_AI_CLIENT_OPERATION_TIME_TO_FIRST_CHUNK),
      tokenUsage: createHistogramFor(meter, GEN_AI_CLIENT_TOKEN_USAGE),
      cachedInputTokens: createCounterFor(meter, GEN_AI_CLIENT_CACHE_READ_INPUT_TOKENS),
    };
    byProvider.set(meterProvider, instruments);
  }
  return instruments;
}

/** The OpenAI plugin's LLMs that call through the `openai` client, by the `label` their metrics carry. */
const OPENAI_CLIENT_LABELS: ReadonlySet<string> = new Set(['openai.LLM', 'openai.responses.LLM']);

const MODALITIES = [
  ['text', 'textTokens'],
  ['audio', 'audioTokens'],
  ['image', 'imageTokens'],
] as const;

/** The modalities' counts when they add up to the total (the issue 18 rule: a type is recorded whole or split, never both). */
function modalitySplit(
  total: number,
  details: ModalityTokenDetails | undefined,
): Array<[modality: string, tokens: number]> | undefined {
  if (details === undefined || details === null) return undefined;
  const parts: Array<[string, number]> = [];
  let sum = 0;
  for (const [modality, field] of MODALITIES) {
    const tokens = nonNegative(details[field]);
    if (tokens === undefined) continue;
    sum += tokens;
    if (tokens > 0) parts.push([modality, tokens]);
  }
  return sum === total ? parts : undefined;
}

/**
 * The GenAI metrics of the LLM calls and realtime-model responses a session reports: duration, time to
 * first chunk, tokens by type (cached input on its own counter). Cost needs the price table, which is
 * @va/instrumentation-openai's and not yet shared: a later slice adds it.
 */
export class GenAIMetrics {
  private readonly _meterProvider: MeterProvider | undefined;
  private readonly _openAIClientMeasured: boolean;

  constructor(options: LiveKitSessionOptions) {
    this._meterProvider = options.meterProvider;
    this._openAIClientMeasured = options.openAIClientMeasured === true;
  }

  /** Looked up per record, so an app may start its SDK after instrumenting the session. */
  private get _instruments(): Instruments {
    return instrumentsOf(this._meterProvider ?? vaMeterProvider());
  }

  llm(metrics: LLMMetrics): void {
    // Exactly once: @va/instrumentation-openai already recorded this call where it was made.
    if (this._openAIClientMeasured && OPENAI_CLIENT_LABELS.has(String(metrics.label))) return;
    const attributes = attributesOf('chat', metrics);
    const instruments = this._instruments;
    this._timings(instruments, metrics, attributes);
    this._tokens(instruments, attributes, 'input', metrics.promptTokens, undefined);
    this._tokens(instruments, attributes, 'output', metrics.completionTokens, undefined);
    const cached = nonNegative(metrics.promptCachedTokens);
    if (cached !== undefined) instruments.cachedInputTokens.add(cached, attributes);
  }

  realtime(metrics: RealtimeModelMetrics): void {
    const attributes = attributesOf('realtime_inference', metrics);
    const instruments = this._instruments;
    this._timings(instruments, metrics, attributes);
    this._tokens(instruments, attributes, 'input', metrics.inputTokens, metrics.inputTokenDetails);
    this._tokens(instruments, attributes, 'output', metrics.outputTokens, metrics.outputTokenDetails);
    const cached = nonNegative(metrics.inputTokenDetails?.cachedTokens);
    if (cached !== undefined) instruments.cachedInputTokens.add(cached, attributes);
  }

  private _timings(
    instruments: Instruments,
    metrics: LLMMetrics | RealtimeModelMetrics,
    attributes: Attributes,
  ): void {
    const duration = nonNegative(metrics.durationMs);
    if (duration !== undefined) instruments.duration.record(duration / 1000, attributes);
    const firstChunk = nonNegative(metrics.ttftMs);
    if (firstChunk !== undefined) instruments.timeToFirstChunk.record(firstChunk / 1000, attributes);
  }

  private _tokens(
    instruments: Instruments,
    attributes: Attributes,
    tokenType: 'input' | 'output',
    reported: unknown,
    details: ModalityTokenDetails | undefined,
  ): void {
    const total = nonNegative(reported);
    if (total === undefined) return;
    const split = modalitySplit(total, details);
    if (split === undefined) {
      instruments.tokenUsage.record(total, { ...attributes, 'gen_ai.token.type': tokenType });
      return;
    }
    for (const [modality, tokens] of split) {
      instruments.tokenUsage.record(tokens, {
        ...attributes,
        'gen_ai.token.type': tokenType,
        'gen_ai.token.modality': modality,
      });
    }
  }
}

function attributesOf(operation: string, metrics: LLMMetrics | RealtimeModelMetrics): Attributes {
  const attributes: Attributes = {
    'gen_ai.operation.name': operation,
    'gen_ai.provider.name': providerNameOf(metrics.metadata?.modelProvider, metrics.label),
  };
  const model = metrics.metadata?.modelName;
  if (typeof model === 'string' && model.length > 0) attributes['gen_ai.request.model'] = model;
  return attributes;
}
