import {
  ERROR_TYPE,
  GEN_AI_AGENT_NAME_ON_LLM_CALLS,
  GEN_AI_OPERATION_NAME,
  GEN_AI_PROVIDER_NAME,
  GEN_AI_RATE_LIMIT_NAME,
  GEN_AI_REQUEST_MODEL,
  GEN_AI_RESPONSE_MODEL,
  GEN_AI_SYSTEM,
  GEN_AI_TOKEN_MODALITY,
  GEN_AI_TOKEN_TYPE,
  SERVER_ADDRESS,
  SERVER_PORT,
} from '../attributes.js';
import { GEN_AI_DURATION_BUCKETS, GEN_AI_TOKEN_BUCKETS } from '../buckets.js';
import type { MetricDefinition } from '../types.js';

const RECORDED_BY_OPENAI = '@va/instrumentation-openai';
/** The LLM client instrumentations, whose calls @va/instrumentation-genai's GenAICall records. */
const RECORDED_BY_CLIENT_CALLS =
  '@va/instrumentation-openai, @va/instrumentation-anthropic, @va/instrumentation-google-genai, @va/instrumentation-ai-sdk';
/** The metrics every GenAI instrumentation records, through @va/instrumentation-genai. */
const RECORDED_BY_GENAI_CLIENTS = `${RECORDED_BY_CLIENT_CALLS}, @va/instrumentation-livekit`;

/** The attributes every GenAI client metric shares (the conventions' `metric_attributes.gen_ai`). */
const GEN_AI_COMMON = [
  GEN_AI_OPERATION_NAME,
  GEN_AI_PROVIDER_NAME,
  GEN_AI_SYSTEM,
  GEN_AI_REQUEST_MODEL,
  GEN_AI_RESPONSE_MODEL,
  SERVER_ADDRESS,
  SERVER_PORT,
  GEN_AI_AGENT_NAME_ON_LLM_CALLS,
] as const;

/** https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-metrics/#metric-gen_aiclientoperationduration */
export const GEN_AI_CLIENT_OPERATION_DURATION: MetricDefinition = {
  name: 'gen_ai.client.operation.duration',
  kind: 'histogram',
  unit: 's',
  description:
    'Duration of one GenAI client call, retries included: to the parsed response, or to the end of the stream for streaming calls; for a response of a Realtime session (`realtime_inference`), from `response.created` to `response.done`. Failed and canceled calls carry `error.type`.',
  buckets: GEN_AI_DURATION_BUCKETS,
  attributes: [...GEN_AI_COMMON, ERROR_TYPE],
  recordedBy: RECORDED_BY_GENAI_CLIENTS,
  stability: 'development',
};

/** https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-metrics/#metric-gen_aiclienttokenusage */
export const GEN_AI_CLIENT_TOKEN_USAGE: MetricDefinition = {
  name: 'gen_ai.client.token.usage',
  kind: 'histogram',
  unit: '{token}',
  description:
    'Tokens per call as the provider reported them, one point per token type. Calls whose response carried no usage record nothing.',
  buckets: GEN_AI_TOKEN_BUCKETS,
  attributes: [...GEN_AI_COMMON, GEN_AI_TOKEN_TYPE, GEN_AI_TOKEN_MODALITY],
  recordedBy: RECORDED_BY_GENAI_CLIENTS,
  stability: 'development',
};

/** https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-metrics/#metric-gen_aiclientoperationtime_to_first_chunk */
export const GEN_AI_CLIENT_OPERATION_TIME_TO_FIRST_CHUNK: MetricDefinition = {
  name: 'gen_ai.client.operation.time_to_first_chunk',
  kind: 'histogram',
  unit: 's',
  description:
    'Streaming calls only: from the request to the first output chunk (for the Responses API, the first `*.delta` event; lifecycle events such as `response.created` do not count); for a Realtime response, from `response.created` to its first audio, transcript, text or function-argument delta.',
  buckets: GEN_AI_DURATION_BUCKETS,
  attributes: GEN_AI_COMMON,
  recordedBy: RECORDED_BY_GENAI_CLIENTS,
  stability: 'development',
};

/** https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-metrics/#metric-gen_aiclientoperationtime_per_output_chunk */
export const GEN_AI_CLIENT_OPERATION_TIME_PER_OUTPUT_CHUNK: MetricDefinition = {
  name: 'gen_ai.client.operation.time_per_output_chunk',
  kind: 'histogram',
  unit: 's',
  description:
    'Streaming calls only: for each output chunk after the first, the time since the previous one.',
  buckets: GEN_AI_DURATION_BUCKETS,
  attributes: GEN_AI_COMMON,
  recordedBy: RECORDED_BY_CLIENT_CALLS,
  stability: 'development',
};

/**
 * Not in the conventions: spend, priced from a table in the package (or the user's).
 * https://github.com/open-telemetry/semantic-conventions-genai has no cost metric yet.
 */
export const GEN_AI_CLIENT_COST: MetricDefinition = {
  name: 'gen_ai.client.cost',
  kind: 'counter',
  unit: '{USD}',
  description:
    'Estimated spend in US dollars, from the reported usage and the price table: tokens (per million input, cached input and output tokens), audio transcribed (per minute, `transcription`) or characters synthesised (per million, `speech`). Models without a price record nothing.',
  attributes: [
    GEN_AI_OPERATION_NAME,
    GEN_AI_PROVIDER_NAME,
    GEN_AI_REQUEST_MODEL,
    GEN_AI_RESPONSE_MODEL,
    GEN_AI_TOKEN_TYPE,
    GEN_AI_TOKEN_MODALITY,
  ],
  recordedBy: RECORDED_BY_GENAI_CLIENTS,
  stability: 'development',
  exportName: 'gen_ai.client.cost.usd',
  exportReason:
    'Prometheus names drop UCUM annotations such as `{USD}`, which would leave the currency out of the name; the currency belongs in it.',
};

/** The conventions' subset counter for cached input (gen_ai.client.inference.usage.*, development). */
export const GEN_AI_CLIENT_CACHE_READ_INPUT_TOKENS: MetricDefinition = {
  name: 'gen_ai.client.inference.usage.cache_read.input_tokens',
  kind: 'counter',
  unit: '{token}',
  description:
    "Input tokens served from the provider's prompt cache, as reported (OpenAI `cached_tokens`, LiveKit `promptCachedTokens`). A subset of the `input` tokens of the token usage histogram.",
  attributes: [...GEN_AI_COMMON, GEN_AI_TOKEN_MODALITY],
  recordedBy: RECORDED_BY_GENAI_CLIENTS,
  stability: 'development',
};

/** The conventions' subset counter for prompt-cache writes (gen_ai.client.inference.usage.*, development). */
export const GEN_AI_CLIENT_CACHE_WRITE_INPUT_TOKENS: MetricDefinition = {
  name: 'gen_ai.client.inference.usage.cache_write.input_tokens',
  kind: 'counter',
  unit: '{token}',
  description:
    "Input tokens written to the provider's prompt cache, as reported (Anthropic `cache_creation_input_tokens`), which providers bill above the input price. A subset of the `input` tokens of the token usage histogram.",
  attributes: [...GEN_AI_COMMON, GEN_AI_TOKEN_MODALITY],
  recordedBy: '@va/instrumentation-anthropic, @va/instrumentation-ai-sdk',
  stability: 'development',
};

/** The conventions' subset counter for reasoning output (gen_ai.client.inference.usage.*, development). */
export const GEN_AI_CLIENT_REASONING_OUTPUT_TOKENS: MetricDefinition = {
  name: 'gen_ai.client.inference.usage.reasoning.output_tokens',
  kind: 'counter',
  unit: '{token}',
  description:
    'Output tokens the model spent reasoning, as reported (OpenAI `reasoning_tokens`, Gemini `thoughtsTokenCount`). A subset of the `output` tokens of the token usage histogram.',
  attributes: GEN_AI_COMMON,
  recordedBy: '@va/instrumentation-openai, @va/instrumentation-google-genai, @va/instrumentation-ai-sdk',
  stability: 'development',
};

/** The attributes of the rate-limit gauges: a limit belongs to a provider and a model, not to a call. */
const RATE_LIMIT_ATTRIBUTES = [GEN_AI_PROVIDER_NAME, GEN_AI_REQUEST_MODEL, GEN_AI_RATE_LIMIT_NAME] as const;

/**
 * Not in the conventions: what a Realtime session's latest `rate_limits.updated` says is left. Named under
 * `gen_ai.client.*` beside our cost counter, one gauge with the limit's name as an attribute (the event's
 * own shape: a list of named limits), so a new limit the provider adds needs no new metric. The unit is an
 * annotation, as requests and tokens share the gauge; Prometheus names drop it.
 */
export const GEN_AI_CLIENT_RATE_LIMIT_REMAINING: MetricDefinition = {
  name: 'gen_ai.client.rate_limit.remaining',
  kind: 'gauge',
  unit: '{request_or_token}',
  description:
    'Requests or tokens left in the current rate-limit window, from the latest Realtime `rate_limits.updated` (`gen_ai.rate_limit.name` says which). Alert on it falling toward zero before the provider starts refusing.',
  attributes: RATE_LIMIT_ATTRIBUTES,
  recordedBy: RECORDED_BY_OPENAI,
  stability: 'development',
};

/** The limit itself, so a panel can show the share left (remaining / limit) without a hand-kept constant. */
export const GEN_AI_CLIENT_RATE_LIMIT_LIMIT: MetricDefinition = {
  name: 'gen_ai.client.rate_limit.limit',
  kind: 'gauge',
  unit: '{request_or_token}',
  description:
    'The size of the rate-limit window (requests or tokens), from the latest Realtime `rate_limits.updated`.',
  attributes: RATE_LIMIT_ATTRIBUTES,
  recordedBy: RECORDED_BY_OPENAI,
  stability: 'development',
};

/**
 * Not in the conventions: the `error` events of a Realtime session. They arrive on the socket, apart from
 * any response (a client event the server refused, a server fault), so no operation carries them; a
 * response that fails is on the operation duration with `error.type` instead.
 */
export const GEN_AI_CLIENT_REALTIME_ERRORS: MetricDefinition = {
  name: 'gen_ai.client.realtime.errors',
  kind: 'counter',
  unit: '{error}',
  description:
    "`error` events received on Realtime sessions, by `error.type`: the event's `code` (else its `type`), the first 50 distinct values as they are and any later one as `_OTHER`.",
  attributes: [GEN_AI_PROVIDER_NAME, GEN_AI_REQUEST_MODEL, ERROR_TYPE],
  recordedBy: RECORDED_BY_OPENAI,
  stability: 'development',
};

export const GEN_AI_METRICS: readonly MetricDefinition[] = [
  GEN_AI_CLIENT_OPERATION_DURATION,
  GEN_AI_CLIENT_TOKEN_USAGE,
  GEN_AI_CLIENT_OPERATION_TIME_TO_FIRST_CHUNK,
  GEN_AI_CLIENT_OPERATION_TIME_PER_OUTPUT_CHUNK,
  GEN_AI_CLIENT_COST,
  GEN_AI_CLIENT_CACHE_READ_INPUT_TOKENS,
  GEN_AI_CLIENT_CACHE_WRITE_INPUT_TOKENS,
  GEN_AI_CLIENT_REASONING_OUTPUT_TOKENS,
  GEN_AI_CLIENT_REALTIME_ERRORS,
  GEN_AI_CLIENT_RATE_LIMIT_REMAINING,
  GEN_AI_CLIENT_RATE_LIMIT_LIMIT,
];
