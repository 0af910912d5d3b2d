/** The public shapes of the server: its options, what it records, and the handle `start` returns. */

/** A closed interval `[min, max]` in milliseconds; a delay is drawn uniformly from it. */
export type DelayRange = readonly [min: number, max: number];

/**
 * Artificial delays for requests that carry no scenario directive. Tests leave it out (no delay);
 * the demo passes something close to a hosted model so its latency metrics look real.
 */
export interface LatencyProfile {
  /** Before the first streamed event (the headers are sent at once, as OpenAI does). */
  firstChunkMs: DelayRange;
  /** Between two streamed events. */
  perChunkMs: DelayRange;
  /** Before a non-streamed response. */
  nonStreamingMs: DelayRange;
}

export interface OpenAICompatibleServerOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0: the system picks a free port. */
  port?: number;
  /** Default: no artificial delay. */
  latency?: LatencyProfile;
  /** Numbers in [0, 1) for latency jitter and random 429s. Default: a PRNG seeded with `seed`. */
  random?: () => number;
  /** Seed of the default PRNG, so a demo run is repeatable. Default 1. */
  seed?: number;
  /** Chance in [0, 1] that a request without scenario directives is answered 429. Default 0. */
  rateLimitProbability?: number;
  /**
   * Serve HTTPS (and `wss://` for `/v1/realtime`) with a throwaway self-signed certificate made at
   * start, for 127.0.0.1, ::1 and localhost; `StartedServer.certificate` is its PEM. Default false.
   */
  tls?: boolean;
}

/**
 * Token counts as the server reported them in the response body. `input` is every input token,
 * cached ones included, for every API: OpenAI reports it so; for Anthropic, whose `input_tokens`
 * leaves the cache out, it is `input_tokens + cache_read_input_tokens + cache_creation_input_tokens`;
 * for Gemini it is `promptTokenCount`, and `output` is `candidatesTokenCount + thoughtsTokenCount`.
 */
export interface RecordedUsage {
  input: number;
  output: number;
  /** Input tokens read from the cache (OpenAI `cached_tokens`, Anthropic `cache_read_input_tokens`). */
  cachedInput: number;
  /** Reasoning tokens, inside `output` (OpenAI `reasoning_tokens`, Gemini `thoughtsTokenCount`). */
  reasoningOutput: number;
  /** Anthropic only: input tokens written to the cache (`cache_creation_input_tokens`). */
  cacheWriteInput?: number;
}

export interface RecordedRequest {
  method: string;
  /** The path without the query string, e.g. '/v1/chat/completions'. */
  path: string;
  /** Lower-cased names, as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
  /**
   * The parsed JSON body; for multipart, the text fields plus `{ filename, contentType, size }` for
   * each file; the raw text for any other body; undefined when there is none.
   */
  body: unknown;
  /** The raw scenario: the `x-test-scenario` header and the model's `@` suffix, joined by ','. */
  scenario?: string;
}

export interface RecordedResponse {
  path: string;
  /** The model the response named (dated for chat and responses), else the requested one. */
  model?: string;
  status: number;
  /** Only when the response carried usage. */
  usage?: RecordedUsage;
  /** Streamed responses: SSE data events written, `[DONE]` not counted; speech: body writes. */
  chunks?: number;
  /** Whether the response was streamed. */
  stream: boolean;
  /**
   * The `x-request-id` header sent (`request-id` for Anthropic's `/v1/messages`); for Gemini, which
   * sends no request id header, the body's `responseId`.
   */
  requestId: string;
  /** True when a `cut-after` directive destroyed the connection mid-response. */
  cut?: boolean;
  scenario?: string;
}

/** The Realtime protocol of a `/v1/realtime` session: GA, or the beta one (`OpenAI-Beta: realtime=v1`). */
export type RealtimeProtocol = 'ga' | 'beta';

/** The `usage` of a Realtime `response.done`, exactly as sent; the beta protocol has no `image_tokens`. */
export interface RealtimeUsage {
  total_tokens: number;
  input_tokens: number;
  output_tokens: number;
  input_token_details: {
    text_tokens: number;
    audio_tokens: number;
    image_tokens?: number;
    cached_tokens: number;
    cached_tokens_details: { text_tokens: number; audio_tokens: number; image_tokens?: number };
  };
  output_token_details: { text_tokens: number; audio_tokens: number };
}

/** The `usage` of `conversation.item.input_audio_transcription.completed`, exactly as sent. */
export type RealtimeTranscriptionUsage =
  | {
      type: 'tokens';
      input_tokens: number;
      output_tokens: number;
      total_tokens: number;
      input_token_details: { text_tokens: number; audio_tokens: number };
    }
  | { type: 'duration'; seconds: number };

/** One Realtime response, recorded when its `response.done` is sent (or its socket is cut). */
export interface RecordedRealtimeResponse {
  id: string;
  /** `cut` when the socket was destroyed before its `response.done`. */
  status: 'completed' | 'cancelled' | 'failed' | 'cut';
  /** `status_details` as sent (absent for a completed or cut response). */
  statusDetails?: Record<string, unknown>;
  /** `usage` as sent (absent for a cut response: it never got a `response.done`). */
  usage?: RealtimeUsage;
  /** `response.output_audio.delta` events sent (`response.audio.delta` in the beta protocol). */
  audioDeltas: number;
  /** `response.output_text.delta` events sent (`response.text.delta` in the beta protocol). */
  textDeltas: number;
  /** Milliseconds from `response.created` to the first audio or text delta, when there was one. */
  firstDeltaMs?: number;
}

/** One `/v1/realtime` WebSocket session: what the client sent and exactly what the server sent. */
export interface RecordedRealtimeSession {
  /** The `sess_…` id of `session.created`. */
  id: string;
  /** The `model` query parameter without its `@directives` suffix. */
  model: string;
  /** `beta` when the upgrade asked for it with `OpenAI-Beta: realtime=v1`; every event then is a beta one. */
  protocol: RealtimeProtocol;
  scenario?: string;
  /** The upgrade request's headers, lower-cased. */
  headers: Record<string, string | string[] | undefined>;
  /** Every client event received, parsed, in order. */
  received: Record<string, unknown>[];
  /** Every server event sent, in order, as sent. */
  sent: Record<string, unknown>[];
  /** Every response that was created, in order. */
  responses: RecordedRealtimeResponse[];
  /** The usage of every input audio transcription sent. */
  transcriptions: RealtimeTranscriptionUsage[];
  /** True once the socket is closed (by either side, or cut). */
  closed: boolean;
  /** True when a `cut-after-audio` directive destroyed the socket. */
  cut?: boolean;
}

export interface StartedServer {
  /** e.g. 'http://127.0.0.1:41234'. */
  url: string;
  /** `url` + '/v1': what the openai client takes as `baseURL`. */
  baseURL: string;
  /**
   * What the `@anthropic-ai/sdk` client takes as `baseURL`: `url` itself, since that client puts
   * `/v1/messages` after its base URL where the openai client puts `/chat/completions`.
   */
  anthropicBaseURL: string;
  /**
   * What the `@google/genai` client takes as `httpOptions.baseUrl`, on the Gemini API and on
   * Vertex AI alike: `url` itself, since that client puts `/{apiVersion}/models/…` after it.
   */
  geminiBaseURL: string;
  port: number;
  /** Every request received, in order. Cleared in place by `reset()`. */
  requests: RecordedRequest[];
  /** Every response completed (or deliberately cut), in order. Cleared in place by `reset()`. */
  responses: RecordedResponse[];
  /** Every `/v1/realtime` session, in the order they opened. Cleared in place by `reset()`. */
  realtimeSessions: RecordedRealtimeSession[];
  /** With `tls`: the PEM certificate to trust (`NODE_EXTRA_CA_CERTS`, or `ca` in the socket options). */
  certificate?: string;
  /** Clears `requests`, `responses`, `realtimeSessions` and the `fail-times` counters. */
  reset(): void;
  /** Stops listening, ends pending delays, destroys every open socket; resolves when fully closed. */
  close(): Promise<void>;
}
