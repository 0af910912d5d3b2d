/**
 * Histogram bucket boundaries, as the OpenTelemetry semantic conventions advise them.
 * Each list is validated when the module loads, so a typo fails every test at once.
 */

/** Checks that boundaries are finite and strictly increasing; returns them frozen. */
export function defineBuckets(boundaries: readonly number[]): readonly number[] {
  if (boundaries.length === 0) throw new Error('bucket boundaries must not be empty');
  for (let index = 0; index < boundaries.length; index++) {
    const boundary = boundaries[index]!;
    if (!Number.isFinite(boundary)) throw new Error(`bucket boundary ${boundary} is not finite`);
    if (index > 0 && boundary <= boundaries[index - 1]!) {
      throw new Error(`bucket boundaries must increase: ${boundaries[index - 1]} then ${boundary}`);
    }
  }
  return Object.freeze([...boundaries]);
}

/** https://opentelemetry.io/docs/specs/semconv/http/http-metrics/#metric-httpserverrequestduration */
export const HTTP_DURATION_BUCKETS = defineBuckets([
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
]);

/** https://opentelemetry.io/docs/specs/semconv/database/database-metrics/#metric-dbclientoperationduration */
export const DB_DURATION_BUCKETS = defineBuckets([0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10]);

/**
 * https://opentelemetry.io/docs/specs/semconv/runtime/v8js-metrics/#metric-v8jsgcduration advises
 * 0.01, 0.1, 1, 10; instrumentation-runtime-node records finer buckets, which minor collections
 * (well under 10 ms) need to be told apart. We keep the finer ones.
 */
export const GC_DURATION_BUCKETS = defineBuckets([
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
]);

/**
 * https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-metrics/ advises these for operation
 * duration, time to first chunk and time per output chunk alike: doubling from 10 ms to 82 s.
 */
export const GEN_AI_DURATION_BUCKETS = defineBuckets([
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
]);

/** https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-metrics/#metric-gen_aiclienttokenusage: ×4 from 1 to 67,108,864. */
export const GEN_AI_TOKEN_BUCKETS = defineBuckets([
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
]);

/**
 * Conversational latency, 50 ms to 10 s. People notice a reply gap above ~200 ms and feel a
 * voice agent is slow past ~1 s, so the boundaries are densest between 0.1 and 2 s, where voice
 * SLOs sit (p95 response under 800 ms, 1 s, 1.5 s); 5 and 10 s catch stalled turns. The GenAI
 * buckets (doubling from 10 ms) put only three boundaries between 0.3 and 2.6 s.
 */
export const VOICE_LATENCY_BUCKETS = defineBuckets([
  0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 5, 10,
]);

/** Turns per voice session: a short call has a handful, a long one a few hundred. */
export const VOICE_SESSION_TURN_BUCKETS = defineBuckets([1, 2, 5, 10, 20, 50, 100, 200, 500]);
