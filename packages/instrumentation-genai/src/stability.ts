/**
 * `OTEL_SEMCONV_STABILITY_OPT_IN` for GenAI. We are a new instrumentation with no earlier output to
 * keep stable, so we emit the latest experimental conventions (`gen_ai.provider.name`) whether or
 * not `gen_ai_latest_experimental` is listed. `gen_ai/dup` (modelled on `http/dup`) adds the
 * pre-1.37 `gen_ai.system` attribute beside it, for dashboards built on other instrumentations.
 */
export function emitsLegacySystemAttribute(env: NodeJS.ProcessEnv = process.env): boolean {
  const optIn = env.OTEL_SEMCONV_STABILITY_OPT_IN;
  if (typeof optIn !== 'string') return false;
  return optIn.split(',').some((entry) => entry.trim().toLowerCase() === 'gen_ai/dup');
}

/** Which generation of the GenAI metric names a process emits. */
export interface GenAIConventions {
  /** Today's names: @va/semconv's GEN_AI_METRICS (operation timings, token usage by `gen_ai.token.type`). */
  readonly current: boolean;
  /**
   * The 2026 names (semantic-conventions-genai v0.1.0): @va/semconv's GEN_AI_LATEST_METRICS, usage
   * counters by `gen_ai.token.modality`.
   */
  readonly latest: boolean;
}

const CURRENT: GenAIConventions = Object.freeze({ current: true, latest: false });
const LATEST: GenAIConventions = Object.freeze({ current: false, latest: true });
const BOTH: GenAIConventions = Object.freeze({ current: true, latest: true });

/**
 * The GenAI metric names `OTEL_SEMCONV_STABILITY_OPT_IN` asks for: `gen_ai_latest_experimental` the 2026
 * names instead of today's, as the conventions define it; `gen_ai/dup` (ours, modelled on `http/dup`; the
 * spelling `gen_ai_latest_experimental/dup` others use is read the same) both, for a migration; otherwise
 * today's names. The cost and the cache and reasoning counters are recorded once in every mode.
 */
export function genAIConventionsOf(env: NodeJS.ProcessEnv = process.env): GenAIConventions {
  const optIn = env.OTEL_SEMCONV_STABILITY_OPT_IN;
  if (typeof optIn !== 'string') return CURRENT;
  const entries = optIn.split(',').map((entry) => entry.trim().toLowerCase());
  if (entries.includes('gen_ai/dup') || entries.includes('gen_ai_latest_experimental/dup')) return BOTH;
  return entries.includes('gen_ai_latest_experimental') ? LATEST : CURRENT;
}

/** The process's conventions, read once: the CommonJS and ES module copies of this package read them alike. */
const CONVENTIONS_KEY = Symbol.for('@va/instrumentation-genai.conventions');
const globalSlot = globalThis as { [CONVENTIONS_KEY]?: GenAIConventions };

export function processConventions(): GenAIConventions {
  globalSlot[CONVENTIONS_KEY] ??= genAIConventionsOf(process.env);
  return globalSlot[CONVENTIONS_KEY];
}
