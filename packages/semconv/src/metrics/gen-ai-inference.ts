import {
  ERROR_TYPE,
  GEN_AI_AGENT_NAME_ON_LLM_CALLS,
  GEN_AI_OPERATION_NAME,
  GEN_AI_PROVIDER_NAME,
  GEN_AI_REQUEST_MODEL,
  GEN_AI_RESPONSE_MODEL,
  GEN_AI_TOKEN_MODALITY_REQUIRED,
  SERVER_ADDRESS,
  SERVER_PORT,
} from '../attributes.js';
import { GEN_AI_DURATION_BUCKETS, GEN_AI_TOKEN_BUCKETS } from '../buckets.js';
import type { MetricDefinition } from '../types.js';

/*
 * The client metrics of the GenAI conventions as released on their own,
 * https://github.com/open-telemetry/semantic-conventions-genai v0.1.0 (docs/gen-ai/client-inference.md,
 * client-embeddings.md): emitted only under `OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental`
 * (instead of `gen_ai.client.operation.*` and `gen_ai.client.token.usage` for inference and embeddings) or
 * `gen_ai/dup` (beside them). The cache-read, cache-write and reasoning counters keep their names in every
 * mode (gen-ai.ts): the default mode already used the names these conventions gave them.
 */

const RECORDED_BY = '@va/instrumentation-genai, for every GenAI client instrumentation';

/** `metric_attributes.gen_ai` of the conventions; `gen_ai.system` is gone from them. */
const INFERENCE_COMMON = [
  GEN_AI_OPERATION_NAME,
  GEN_AI_PROVIDER_NAME,
  GEN_AI_REQUEST_MODEL,
  GEN_AI_RESPONSE_MODEL,
  SERVER_ADDRESS,
  SERVER_PORT,
  GEN_AI_AGENT_NAME_ON_LLM_CALLS,
] as const;

const INFERENCE_OPERATIONS =
  'Inference operations: `chat`, `generate_content`, `text_completion` and `realtime_inference`.';

export const GEN_AI_CLIENT_INFERENCE_DURATION: MetricDefinition = {
  name: 'gen_ai.client.inference.duration',
  kind: 'histogram',
  unit: 's',
  description: `Duration of one inference call, from the request to the parsed response or the end of its stream; failed and canceled calls carry \`error.type\`. ${INFERENCE_OPERATIONS} Other operations (audio) stay on \`gen_ai.client.operation.duration\`.`,
  buckets: GEN_AI_DURATION_BUCKETS,
  attributes: [...INFERENCE_COMMON, ERROR_TYPE],
  recordedBy: RECORDED_BY,
  stability: 'development',
};

export const GEN_AI_CLIENT_INFERENCE_TIME_TO_FIRST_CHUNK: MetricDefinition = {
  name: 'gen_ai.client.inference.time_to_first_chunk',
  kind: 'histogram',
  unit: 's',
  description:
    'Streaming inference calls only: from the request to the first output chunk (a Realtime response: from `response.created` to its first delta).',
  buckets: GEN_AI_DURATION_BUCKETS,
  attributes: INFERENCE_COMMON,
  recordedBy: RECORDED_BY,
  stability: 'development',
};

export const GEN_AI_CLIENT_INFERENCE_TIME_PER_OUTPUT_CHUNK: MetricDefinition = {
  name: 'gen_ai.client.inference.time_per_output_chunk',
  kind: 'histogram',
  unit: 's',
  description:
    'Streaming inference calls only: for each output chunk after the first, the time since the previous one.',
  buckets: GEN_AI_DURATION_BUCKETS,
  attributes: INFERENCE_COMMON,
  recordedBy: RECORDED_BY,
  stability: 'development',
};

export const GEN_AI_CLIENT_INFERENCE_USAGE_INPUT_TOKENS: MetricDefinition = {
  name: 'gen_ai.client.inference.usage.input_tokens',
  kind: 'counter',
  unit: '{token}',
  description:
    'Input tokens as the provider reported them, cached reads and cache writes included, by modality. A call that ended without usage (failed, or its provider reported none) adds 0 under `unknown`. Audio calls that report tokens (transcription) count here too; embeddings do not.',
  attributes: [...INFERENCE_COMMON, GEN_AI_TOKEN_MODALITY_REQUIRED],
  recordedBy: RECORDED_BY,
  stability: 'development',
};

export const GEN_AI_CLIENT_INFERENCE_USAGE_OUTPUT_TOKENS: MetricDefinition = {
  name: 'gen_ai.client.inference.usage.output_tokens',
  kind: 'counter',
  unit: '{token}',
  description:
    'Output tokens as the provider reported them, reasoning included, by modality. A call that ended without usage adds 0 under `unknown`.',
  attributes: [...INFERENCE_COMMON, GEN_AI_TOKEN_MODALITY_REQUIRED],
  recordedBy: RECORDED_BY,
  stability: 'development',
};

export const GEN_AI_CLIENT_INFERENCE_OPERATION_INPUT_TOKENS: MetricDefinition = {
  name: 'gen_ai.client.inference.operation.input_tokens',
  kind: 'histogram',
  unit: '{token}',
  description: `Input tokens per inference call, for percentiles and outliers (the usage counters are the totals). Calls that failed or reported no usage record nothing (the conventions' clarification of issue #530). ${INFERENCE_OPERATIONS}`,
  buckets: GEN_AI_TOKEN_BUCKETS,
  attributes: INFERENCE_COMMON,
  recordedBy: RECORDED_BY,
  stability: 'development',
};

export const GEN_AI_CLIENT_INFERENCE_OPERATION_OUTPUT_TOKENS: MetricDefinition = {
  name: 'gen_ai.client.inference.operation.output_tokens',
  kind: 'histogram',
  unit: '{token}',
  description: `Output tokens per inference call, for percentiles and outliers. Calls that failed or reported no usage record nothing. ${INFERENCE_OPERATIONS}`,
  buckets: GEN_AI_TOKEN_BUCKETS,
  attributes: INFERENCE_COMMON,
  recordedBy: RECORDED_BY,
  stability: 'development',
};

export const GEN_AI_CLIENT_EMBEDDINGS_DURATION: MetricDefinition = {
  name: 'gen_ai.client.embeddings.duration',
  kind: 'histogram',
  unit: 's',
  description: 'Duration of one embeddings call; failed and canceled calls carry `error.type`.',
  buckets: GEN_AI_DURATION_BUCKETS,
  attributes: [...INFERENCE_COMMON, ERROR_TYPE],
  recordedBy: RECORDED_BY,
  stability: 'development',
};

export const GEN_AI_CLIENT_EMBEDDINGS_OPERATION_INPUT_TOKENS: MetricDefinition = {
  name: 'gen_ai.client.embeddings.operation.input_tokens',
  kind: 'histogram',
  unit: '{token}',
  description:
    'Input tokens per embeddings call, as reported; embeddings have no usage counter in these conventions.',
  buckets: GEN_AI_TOKEN_BUCKETS,
  attributes: INFERENCE_COMMON,
  recordedBy: RECORDED_BY,
  stability: 'development',
};

/** The metrics the 2026 conventions add; emitted only when `OTEL_SEMCONV_STABILITY_OPT_IN` asks for them. */
export const GEN_AI_LATEST_METRICS: readonly MetricDefinition[] = [
  GEN_AI_CLIENT_INFERENCE_DURATION,
  GEN_AI_CLIENT_INFERENCE_TIME_TO_FIRST_CHUNK,
  GEN_AI_CLIENT_INFERENCE_TIME_PER_OUTPUT_CHUNK,
  GEN_AI_CLIENT_INFERENCE_USAGE_INPUT_TOKENS,
  GEN_AI_CLIENT_INFERENCE_USAGE_OUTPUT_TOKENS,
  GEN_AI_CLIENT_INFERENCE_OPERATION_INPUT_TOKENS,
  GEN_AI_CLIENT_INFERENCE_OPERATION_OUTPUT_TOKENS,
  GEN_AI_CLIENT_EMBEDDINGS_DURATION,
  GEN_AI_CLIENT_EMBEDDINGS_OPERATION_INPUT_TOKENS,
];
