import type { Counter, Gauge, Histogram, Meter, MeterProvider } from '@opentelemetry/api';
import {
  createCounterFor,
  createGaugeFor,
  createHistogramFor,
  GEN_AI_CLIENT_CACHE_READ_INPUT_TOKENS,
  GEN_AI_CLIENT_CACHE_WRITE_INPUT_TOKENS,
  GEN_AI_CLIENT_COST,
  GEN_AI_CLIENT_OPERATION_DURATION,
  GEN_AI_CLIENT_OPERATION_TIME_PER_OUTPUT_CHUNK,
  GEN_AI_CLIENT_OPERATION_TIME_TO_FIRST_CHUNK,
  GEN_AI_CLIENT_RATE_LIMIT_LIMIT,
  GEN_AI_CLIENT_RATE_LIMIT_REMAINING,
  GEN_AI_CLIENT_REALTIME_ERRORS,
  GEN_AI_CLIENT_REASONING_OUTPUT_TOKENS,
  GEN_AI_CLIENT_TOKEN_USAGE,
  type MetricDefinition,
  vaMeterProvider,
} from '@va/semconv';
import { createInferenceInstruments, type InferenceInstruments } from './inference-instruments.js';
import { type GenAIConventions, processConventions } from './stability.js';

export interface GenAIInstruments {
  /** The metric names these instruments record under (see genAIConventionsOf). */
  readonly conventions: GenAIConventions;
  /** The 2026 conventions' instruments, when the conventions ask for them. */
  readonly latest: InferenceInstruments | undefined;
  readonly duration: Histogram;
  readonly tokenUsage: Histogram;
  readonly timeToFirstChunk: Histogram;
  readonly timePerOutputChunk: Histogram;
  readonly cost: Counter;
  readonly cachedInputTokens: Counter;
  readonly cacheWriteInputTokens: Counter;
  readonly reasoningOutputTokens: Counter;
  readonly realtimeErrors: Counter;
  readonly rateLimitRemaining: Gauge;
  readonly rateLimitLimit: Gauge;
}

/** The instrumentation that records: its package's name and version are the meter's scope. */
export interface InstrumentationScope {
  readonly name: string;
  readonly version: string;
}

const byProvider = new WeakMap<MeterProvider, Map<string, GenAIInstruments>>();

function create(meter: Meter, conventions: GenAIConventions): GenAIInstruments {
  const histogram = (definition: MetricDefinition): Histogram => createHistogramFor(meter, definition);
  const counter = (definition: MetricDefinition): Counter => createCounterFor(meter, definition);
  return {
    conventions,
    latest: conventions.latest ? createInferenceInstruments(meter) : undefined,
    duration: histogram(GEN_AI_CLIENT_OPERATION_DURATION),
    tokenUsage: histogram(GEN_AI_CLIENT_TOKEN_USAGE),
    timeToFirstChunk: histogram(GEN_AI_CLIENT_OPERATION_TIME_TO_FIRST_CHUNK),
    timePerOutputChunk: histogram(GEN_AI_CLIENT_OPERATION_TIME_PER_OUTPUT_CHUNK),
    cost: counter(GEN_AI_CLIENT_COST),
    cachedInputTokens: counter(GEN_AI_CLIENT_CACHE_READ_INPUT_TOKENS),
    cacheWriteInputTokens: counter(GEN_AI_CLIENT_CACHE_WRITE_INPUT_TOKENS),
    reasoningOutputTokens: counter(GEN_AI_CLIENT_REASONING_OUTPUT_TOKENS),
    realtimeErrors: counter(GEN_AI_CLIENT_REALTIME_ERRORS),
    rateLimitRemaining: createGaugeFor(meter, GEN_AI_CLIENT_RATE_LIMIT_REMAINING),
    rateLimitLimit: createGaugeFor(meter, GEN_AI_CLIENT_RATE_LIMIT_LIMIT),
  };
}

/**
 * The GenAI instruments of an instrumentation on a meter provider: the one given in its options, else
 * `vaMeterProvider()` as it is now. Looked up per call, so an app may start its SDK after wrapping its client.
 * The conventions are the process's (`OTEL_SEMCONV_STABILITY_OPT_IN`) unless given.
 */
export function genAIInstrumentsOf(
  scope: InstrumentationScope,
  meterProvider: MeterProvider = vaMeterProvider(),
  conventions: GenAIConventions = processConventions(),
): GenAIInstruments {
  let byScope = byProvider.get(meterProvider);
  if (byScope === undefined) {
    byScope = new Map();
    byProvider.set(meterProvider, byScope);
  }
  const key = `${scope.name} ${conventions.current} ${conventions.latest}`;
  let instruments = byScope.get(key);
  if (instruments === undefined) {
    instruments = create(meterProvider.getMeter(scope.name, scope.version), conventions);
    byScope.set(key, instruments);
  }
  return instruments;
}
