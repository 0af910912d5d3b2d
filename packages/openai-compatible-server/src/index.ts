export { type AnthropicErrorBody, anthropicErrorBody } from './anthropic-errors.js';
export { SPEECH_BYTES_PER_CHAR, SPEECH_CHUNKS, TRANSCRIPT_WORDS } from './audio.js';
export { SYSTEM_FINGERPRINT } from './chat-completions.js';
export { DEFAULT_DIMENSIONS } from './embeddings.js';
export { errorBody, type OpenAIErrorBody } from './errors.js';
export { MODEL_DATE_SUFFIX, responseModel } from './models.js';
export { PCM_BYTES_PER_MS, pcmAudio } from './pcm-audio.js';
export {
  parseRealtimeScenario,
  REALTIME_DEFAULTS,
  type RealtimeScenario,
} from './realtime-scenario.js';
export { AUDIO_TOKENS_PER_DELTA, RATE_LIMITS } from './realtime-session.js';
export { type ModalityTokens, realtimeUsage } from './realtime-usage.js';
export { ARGUMENT_FRAGMENT_CHARS, DEFAULT_REPLY_WORDS, REPLY_WORDS } from './reply.js';
export { parseScenario, SCENARIO_HEADER, SCENARIO_KEY_HEADER, type Scenario } from './scenarios.js';
export { startOpenAICompatibleServer } from './server.js';
export type {
  DelayRange,
  LatencyProfile,
  OpenAICompatibleServerOptions,
  RealtimeProtocol,
  RealtimeTranscriptionUsage,
  RealtimeUsage,
  RecordedRealtimeResponse,
  RecordedRealtimeSession,
  RecordedRequest,
  RecordedResponse,
  RecordedUsage,
  StartedServer,
} from './types.js';
export {
  anthropicInputTokens,
  chatPromptTokens,
  countWords,
  embeddingInputTokens,
  responsesInputTokens,
  TOKENS_PER_MESSAGE,
  transcriptionInputTokens,
} from './usage.js';
