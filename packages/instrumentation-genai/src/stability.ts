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
