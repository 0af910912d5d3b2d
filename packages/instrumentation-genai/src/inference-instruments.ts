import type { Counter, Histogram, Meter } from '@opentelemetry/api';
import {
  createCounterFor,
  createHistogramFor,
  GEN_AI_CLIENT_EMBEDDINGS_DURATION,
  GEN_AI_CLIENT_EMBEDDINGS_OPERATION_INPUT_TOKENS,
  GEN_AI_CLIENT_INFERENCE_DURATION,
  GEN_AI_CLIENT_INFERENCE_OPERATION_INPUT_TOKENS,
  GEN_AI_CLIENT_INFERENCE_OPERATION_OUTPUT_TOKENS,
  GEN_AI_CLIENT_INFERENCE_TIME_PER_OUTPUT_CHUNK,
  GEN_AI_CLIENT_INFERENCE_TIME_TO_FIRST_CHUNK,
  GEN_AI_CLIENT_INFERENCE_USAGE_INPUT_TOKENS,
  GEN_AI_CLIENT_INFERENCE_USAGE_OUTPUT_TOKENS,
} from '@va/semconv';

/** The instruments of the 2026 GenAI conventions, created only when a process opts in to them. */
export interface InferenceInstruments {
  readonly duration: Histogram;
  readonly timeToFirstChunk: Histogram;
  readonly timePerOutputChunk: Histogram;
  readonly inputTokens: Counter;
  readonly outputTokens: Counter;
  readonly operationInputTokens: Histogram;
  readonly operationOutputTokens: Histogram;
  readonly embeddingsDuration: Histogram;
  readonly embeddingsInputTokens: Histogram;
}

export function createInferenceInstruments(meter: Meter): InferenceInstruments {
  return {
    duration: createHistogramFor(meter, GEN_AI_CLIENT_INFERENCE_DURATION),
    timeToFirstChunk: createHistogramFor(meter, GEN_AI_CLIENT_INFERENCE_TIME_TO_FIRST_CHUNK),
    timePerOutputChunk: createHistogramFor(meter, GEN_AI_CLIENT_INFERENCE_TIME_PER_OUTPUT_CHUNK),
    inputTokens: createCounterFor(meter, GEN_AI_CLIENT_INFERENCE_USAGE_INPUT_TOKENS),
    outputTokens: createCounterFor(meter, GEN_AI_CLIENT_INFERENCE_USAGE_OUTPUT_TOKENS),
    operationInputTokens: createHistogramFor(meter, GEN_AI_CLIENT_INFERENCE_OPERATION_INPUT_TOKENS),
    operationOutputTokens: createHistogramFor(meter, GEN_AI_CLIENT_INFERENCE_OPERATION_OUTPUT_TOKENS),
    embeddingsDuration: createHistogramFor(meter, GEN_AI_CLIENT_EMBEDDINGS_DURATION),
    embeddingsInputTokens: createHistogramFor(meter, GEN_AI_CLIENT_EMBEDDINGS_OPERATION_INPUT_TOKENS),
  };
}

/** How the 2026 conventions file an operation: inference and embeddings have metrics of their own. */
export type OperationFamily = 'inference' | 'embeddings' | 'other';

export function operationFamilyOf(operationName: unknown): OperationFamily {
  switch (operationName) {
    case 'chat':
    case 'generate_content':
    case 'text_completion':
    case 'realtime_inference':
      return 'inference';
    case 'embeddings':
      return 'embeddings';
    default:
      return 'other';
  }
}
