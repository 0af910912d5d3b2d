/**
 * The parts of `@livekit/agents` 1.x this package reads, typed structurally so that the package never
 * loads `@livekit/agents` itself (it is the app's, and optional). Field names as in its
 * `src/metrics/base.ts` and `src/voice/events.ts`; durations are milliseconds, `ttftMs` and `ttfbMs`
 * are -1 when nothing came.
 */

/** `metrics.metadata`: the plugin's provider and model. The OpenAI plugin's provider is its base URL's host. */
export interface MetricsMetadata {
  readonly modelProvider?: string;
  readonly modelName?: string;
}

/** End of utterance, emitted when the user's turn is committed, before the reply is generated. */
export interface EOUMetrics {
  readonly type: 'eou_metrics';
  readonly endOfUtteranceDelayMs: number;
  readonly transcriptionDelayMs: number;
  readonly speechId?: string;
}

export interface LLMMetrics {
  readonly type: 'llm_metrics';
  readonly label?: string;
  readonly durationMs: number;
  readonly ttftMs: number;
  readonly cancelled?: boolean;
  /** Includes `promptCachedTokens`. */
  readonly promptTokens: number;
  readonly promptCachedTokens: number;
  readonly completionTokens: number;
  readonly speechId?: string;
  readonly metadata?: MetricsMetadata;
}

/** Speech to text: no `speechId` (the audio is the user's, before any reply exists). */
export interface STTMetrics {
  readonly type: 'stt_metrics';
  readonly label?: string;
  readonly audioDurationMs: number;
  readonly metadata?: MetricsMetadata;
}

/**
 * Text to speech. A TTS that cannot stream runs behind LiveKit's `StreamAdapter`, and then each piece of
 * text is reported twice: by the synthesis of each sentence (`streamed: false`) and again by the adapter's
 * stream around them (`streamed: true`), with the same characters (LiveKit's own usage summary counts both).
 */
export interface TTSMetrics {
  readonly type: 'tts_metrics';
  /** `tts.StreamAdapter<…>` on the adapter's own stream reports, the wrapped TTS's label on its sentences'. */
  readonly label?: string;
  readonly ttfbMs: number;
  readonly charactersCount: number;
  /** Seconds of audio synthesised, in milliseconds. */
  readonly audioDurationMs?: number;
  readonly streamed?: boolean;
  readonly speechId?: string;
  readonly metadata?: MetricsMetadata;
}

export interface ModalityTokenDetails {
  readonly audioTokens?: number;
  readonly textTokens?: number;
  readonly imageTokens?: number;
}

/** A speech-to-speech model's response. No `speechId`: LiveKit does not attach one to these. */
export interface RealtimeModelMetrics {
  readonly type: 'realtime_model_metrics';
  readonly label?: string;
  readonly durationMs: number;
  /** Time to the first audio token. */
  readonly ttftMs: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly inputTokenDetails?: ModalityTokenDetails & {
    readonly cachedTokens?: number;
    readonly cachedTokensDetails?: ModalityTokenDetails;
  };
  readonly outputTokenDetails?: ModalityTokenDetails;
  readonly metadata?: MetricsMetadata;
}

export type AgentMetrics =
  | EOUMetrics
  | LLMMetrics
  | STTMetrics
  | TTSMetrics
  | RealtimeModelMetrics
  | { readonly type: string };

/** The `metrics_collected` event: `{ type, metrics, createdAt }`. */
export interface MetricsCollectedEvent {
  readonly metrics?: AgentMetrics;
}

/** A reply the session is about to play: `speech_created`'s `speechHandle`. */
export interface SpeechHandle {
  readonly id: string;
  readonly interrupted: boolean;
  /** Whether it reached the front of the speech queue: a preemptive generation dropped before that never played. */
  readonly scheduled: boolean;
  addDoneCallback(callback: (handle: SpeechHandle) => void): void;
}

export interface SpeechCreatedEvent {
  readonly speechHandle?: SpeechHandle;
}

/** What `instrumentLiveKitSession` needs of a `voice.AgentSession`: its event emitter. */
export interface LiveKitSession {
  on(event: string, listener: (event: never) => void): unknown;
}
