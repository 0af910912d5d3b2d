import type { AttributeDefinition } from './types.js';

/**
 * Attribute keys shared by several metrics, from the OpenTelemetry semantic conventions
 * (https://opentelemetry.io/docs/specs/semconv/registry/attributes/).
 * Every key is low-cardinality by construction: templates, enums, status codes, never raw
 * paths, prompts, user or session identifiers.
 */

export const HTTP_REQUEST_METHOD: AttributeDefinition = {
  key: 'http.request.method',
  description: 'HTTP method; methods outside the known set are reported as `_OTHER`.',
  values: ['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE', '_OTHER'],
  requirement: 'required',
};

export const HTTP_RESPONSE_STATUS_CODE: AttributeDefinition = {
  key: 'http.response.status_code',
  description: 'HTTP response status code, when a response was sent or received.',
  requirement: 'conditional',
};

export const HTTP_ROUTE: AttributeDefinition = {
  key: 'http.route',
  description:
    'The matched route template (`/users/:id`), from Express, Fastify ≥ 5 or `setHttpRoute()`; never the raw path. Absent when no route matched.',
  requirement: 'conditional',
};

export const URL_SCHEME: AttributeDefinition = {
  key: 'url.scheme',
  description: 'URI scheme of the request.',
  values: ['http', 'https'],
  requirement: 'required',
};

export const NETWORK_PROTOCOL_VERSION: AttributeDefinition = {
  key: 'network.protocol.version',
  description: 'HTTP version (`1.1`, `2`).',
  requirement: 'recommended',
};

export const NETWORK_PROTOCOL_NAME: AttributeDefinition = {
  key: 'network.protocol.name',
  description: 'Application protocol name, when not `http`.',
  requirement: 'conditional',
};

export const SERVER_ADDRESS: AttributeDefinition = {
  key: 'server.address',
  description: 'Host name or address of the server the client talks to.',
  requirement: 'recommended',
};

export const SERVER_PORT: AttributeDefinition = {
  key: 'server.port',
  description: 'Port of the server the client talks to.',
  requirement: 'recommended',
};

export const ERROR_TYPE: AttributeDefinition = {
  key: 'error.type',
  description:
    "Present only when the operation failed: the HTTP status code as a string, an error class name, a SQLSTATE code, or `_OTHER`; for LLM calls also `canceled` (the caller aborted or left the stream early) and `timeout` (the client's own timeout).",
  requirement: 'conditional',
};

export const DB_SYSTEM_NAME: AttributeDefinition = {
  key: 'db.system.name',
  description: 'The database management system.',
  values: ['postgresql'],
  requirement: 'required',
};

export const DB_NAMESPACE: AttributeDefinition = {
  key: 'db.namespace',
  description: 'The database name.',
  requirement: 'conditional',
};

export const DB_OPERATION_NAME: AttributeDefinition = {
  key: 'db.operation.name',
  description: 'The SQL command (`SELECT`, `INSERT` …), parsed from the statement; never the statement text.',
  requirement: 'conditional',
};

export const DB_CLIENT_CONNECTION_STATE: AttributeDefinition = {
  key: 'db.client.connection.state',
  description: 'Whether a pooled connection is in use or idle.',
  values: ['idle', 'used'],
  requirement: 'required',
};

export const DB_CLIENT_CONNECTION_POOL_NAME: AttributeDefinition = {
  key: 'db.client.connection.pool.name',
  description: 'The pool name, derived from host, port and database.',
  requirement: 'required',
};

export const GEN_AI_OPERATION_NAME: AttributeDefinition = {
  key: 'gen_ai.operation.name',
  description:
    "The GenAI operation. `chat` (Chat Completions, Responses and Anthropic's Messages), `generate_content` (Gemini's generateContent), `embeddings` and `text_completion` are the conventions' values; the audio endpoints use ours: `transcription`, `translation` (speech to text) and `speech` (text to speech); a response of a Realtime (speech-to-speech) session is `realtime_inference`, the name proposed for the conventions.",
  values: [
    'chat',
    'generate_content',
    'embeddings',
    'text_completion',
    'transcription',
    'translation',
    'speech',
    'realtime_inference',
  ],
  requirement: 'required',
};

export const GEN_AI_PROVIDER_NAME: AttributeDefinition = {
  key: 'gen_ai.provider.name',
  description:
    'The provider, derived from the client: `openai` for api.openai.com, `azure.ai.openai` for Azure OpenAI, a well-known name for known OpenAI-compatible hosts (`groq`, `deepseek`, `mistral_ai`, `x_ai`, `perplexity`, `gcp.gemini`), otherwise the host name; `anthropic` for the Anthropic client; `gcp.gemini` or `gcp.vertex_ai` for the Google Gen AI client (a client made with `vertexai: true`). An option overrides it.',
  requirement: 'required',
};

export const GEN_AI_SYSTEM: AttributeDefinition = {
  key: 'gen_ai.system',
  description:
    'The provider under its name before semantic conventions 1.37 (same value as `gen_ai.provider.name`). Emitted only when `OTEL_SEMCONV_STABILITY_OPT_IN` contains `gen_ai/dup`, for dashboards built on it.',
  requirement: 'opt_in',
};

export const GEN_AI_REQUEST_MODEL: AttributeDefinition = {
  key: 'gen_ai.request.model',
  description: 'The model the request asked for, as sent (normalised only when the user opts in).',
  requirement: 'conditional',
};

export const GEN_AI_RESPONSE_MODEL: AttributeDefinition = {
  key: 'gen_ai.response.model',
  description:
    'The model that answered, as the provider reported it (often a dated snapshot of the requested one).',
  requirement: 'recommended',
};

export const GEN_AI_TOKEN_TYPE: AttributeDefinition = {
  key: 'gen_ai.token.type',
  description:
    'Whether the tokens were `input` (prompt; cached tokens included) or `output` (completion; reasoning tokens included).',
  values: ['input', 'output'],
  requirement: 'required',
};

export const GEN_AI_TOKEN_MODALITY: AttributeDefinition = {
  key: 'gen_ai.token.modality',
  description:
    "The GenAI conventions' token modality (development), present only where the provider splits a token type by modality (the Realtime API's `usage`): then the modalities of one token type add up to its total and no series without the attribute sits beside them. Absent where the API reports no split (Chat Completions, Responses).",
  values: ['text', 'audio', 'image'],
  requirement: 'conditional',
};

/**
 * The modality under the 2026 GenAI conventions (`OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental`),
 * where every usage counter point carries one.
 */
export const GEN_AI_TOKEN_MODALITY_REQUIRED: AttributeDefinition = {
  key: 'gen_ai.token.modality',
  description:
    "The token modality, on every point: the provider's split where it reports one whose counts add up to the total (the Realtime API, Gemini), else `unknown`, as the conventions require when the modality cannot be reliably determined; `unknown` also carries the `0` a call without usage records.",
  values: ['text', 'audio', 'image', 'unknown'],
  requirement: 'required',
};

export const GEN_AI_RATE_LIMIT_NAME: AttributeDefinition = {
  key: 'gen_ai.rate_limit.name',
  description:
    'Ours, not in the conventions: which limit a Realtime `rate_limits.updated` entry reports, as the provider names it (`requests`, `tokens`).',
  values: ['requests', 'tokens'],
  requirement: 'required',
};

export const GEN_AI_AGENT_NAME: AttributeDefinition = {
  key: 'gen_ai.agent.name',
  description:
    'The agent, as the app names it (`support-agent`), taken from the enclosing agent invocation when not given. Never a session or user identifier.',
  requirement: 'conditional',
};

export const GEN_AI_AGENT_NAME_ON_LLM_CALLS: AttributeDefinition = {
  ...GEN_AI_AGENT_NAME,
  description:
    'The enclosing agent invocation, on LLM metrics. Opt-in (`agentNameOnLLMMetrics`, `VA_GENAI_AGENT_NAME_ON_LLM_METRICS`): it multiplies the LLM series by the number of agents.',
  requirement: 'opt_in',
};

export const AGENT_NODE_NAME: AttributeDefinition = {
  key: 'agent.node.name',
  description: 'The graph node (`stt`, `plan`, `respond`), as the app or LangGraph names it.',
  requirement: 'required',
};

export const GEN_AI_TOOL_NAME: AttributeDefinition = {
  key: 'gen_ai.tool.name',
  description: 'The tool, by its declared name (`lookup_order`); never its arguments.',
  requirement: 'required',
};

export const GEN_AI_TOOL_TYPE: AttributeDefinition = {
  key: 'gen_ai.tool.type',
  description: "The conventions' tool kinds: `function` (runs in the app), `extension` or `datastore`.",
  values: ['function', 'extension', 'datastore'],
  requirement: 'recommended',
};

export const VOICE_STAGE: AttributeDefinition = {
  key: 'voice.stage',
  description:
    'A stage of a voice turn. A pipeline (STT → LLM → TTS): `end_of_utterance` (user stopped speaking → end of turn detected), `stt` (→ final transcript), `llm_first_token` (→ first LLM token), `tts_first_byte` (→ first synthesized audio), `audio_out` (→ first audio played). A speech-to-speech model (the Realtime API): `response_created` (user stopped speaking → the model started its response), `first_audio` (→ its first audio). Or a stage the app names.',
  values: [
    'end_of_utterance',
    'stt',
    'llm_first_token',
    'tts_first_byte',
    'audio_out',
    'response_created',
    'first_audio',
  ],
  requirement: 'required',
};

export const VOICE_TURN_END_REASON: AttributeDefinition = {
  key: 'voice.turn.end_reason',
  description:
    "How a turn ended: `completed`, `interrupted` (the user barged in), `error`, or `abandoned` (never ended; closed by the tracker's timeout).",
  values: ['completed', 'interrupted', 'error', 'abandoned'],
  requirement: 'required',
};
