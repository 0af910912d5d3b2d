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
}

/** Token counts as the server reported them in the response body. */
export interface RecordedUsage {
  input: number;
  output: number;
  cachedInput: number;
  reasoningOutput: number;
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
  /** The `x-request-id` header sent. */
  requestId: string;
  /** True when a `cut-after` directive destroyed the connection mid-response. */
  cut?: boolean;
  scenario?: string;
}

export interface StartedServer {
  /** e.g. 'http://127.0.0.1:41234'. */
  url: string;
  /** `url` + '/v1': what the openai client takes as `baseURL`. */
  baseURL: string;
  port: number;
  /** Every request received, in order. Cleared in place by `reset()`. */
  requests: RecordedRequest[];
  /** Every response completed (or deliberately cut), in order. Cleared in place by `reset()`. */
  responses: RecordedResponse[];
  /** Clears `requests`, `responses` and the `fail-times` counters. */
  reset(): void;
  /** Stops listening, ends pending delays, destroys every open socket; resolves when fully closed. */
  close(): Promise<void>;
}
