import type { Counter, Gauge, Histogram, MeterProvider } from '@opentelemetry/api';
import {
  createCounterFor,
  createGaugeFor,
  createHistogramFor,
  GEN_AI_CLIENT_CACHE_READ_INPUT_TOKENS,
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
import { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';

export interface GenAIInstruments {
  readonly duration: Histogram;
  readonly tokenUsage: Histogram;
  readonly timeToFirstChunk: Histogram;
  readonly timePerOutputChunk: Histogram;
  readonly cost: Counter;
  readonly cachedInputTokens: Counter;
  readonly reasoningOutputTokens: Counter;
  readonly realtimeErrors: Counter;
  readonly rateLimitRemaining: Gauge;
  readonly rateLimitLimit: Gauge;
}

const byProvider = new WeakMap<MeterProvider, GenAIInstruments>();

function meter(meterProvider: MeterProvider) {
  return meterProvider.getMeter(PACKAGE_NAME, PACKAGE_VERSION);
}

function histogram(meterProvider: MeterProvider, definition: MetricDefinition): Histogram {
  return createHistogramFor(meter(meterProvider), definition);
}

function counter(meterProvider: MeterProvider, definition: MetricDefinition): Counter {
  return createCounterFor(meter(meterProvider), definition);
}

/**
 * The instruments of a meter provider: the one given in the options, else `vaMeterProvider()` as it is
 * now. Looked up per call, so an app may start its SDK after wrapping its client.
 */
export function instrumentsOf(meterProvider: MeterProvider = vaMeterProvider()): GenAIInstruments {
  let instruments = byProvider.get(meterProvider);
  if (instruments === undefined) {
    instruments = {
      duration: histogram(meterProvider, GEN_AI_CLIENT_OPERATION_DURATION),
      tokenUsage: histogram(meterProvider, GEN_AI_CLIENT_TOKEN_USAGE),
      timeToFirstChunk: histogram(meterProvider, GEN_AI_CLIENT_OPERATION_TIME_TO_FIRST_CHUNK),
      timePerOutputChunk: histogram(meterProvider, GEN_AI_CLIENT_OPERATION_TIME_PER_OUTPUT_CHUNK),
      cost: counter(meterProvider, GEN_AI_CLIENT_COST),
      cachedInputTokens: counter(meterProvider, GEN_AI_CLIENT_CACHE_READ_INPUT_TOKENS),
      reasoningOutputTokens: counter(meterProvider, GEN_AI_CLIENT_REASONING_OUTPUT_TOKENS),
      realtimeErrors: counter(meterProvider, GEN_AI_CLIENT_REALTIME_ERRORS),
      rateLimitRemaining: createGaugeFor(meter(meterProvider), GEN_AI_CLIENT_RATE_LIMIT_REMAINING),
      rateLimitLimit: createGaugeFor(meter(meterProvider), GEN_AI_CLIENT_RATE_LIMIT_LIMIT),
    };
    byProvider.set(meterProvider, instruments);
  }
  return instruments;
}
