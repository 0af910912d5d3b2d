import {
  type ClientSettings,
  clientOptionsFromEnvironment,
  type GenAIClientOptions,
  resolveClientSettings,
  withDefaultOptions,
} from '@va/instrumentation-genai';

/**
 * The options every LLM client takes (@va/instrumentation-genai). `providerName` defaults to
 * `gcp.vertex_ai` for a client made with `vertexai: true`, else `gcp.gemini`, whatever its base URL.
 */
export type GoogleGenAIInstrumentationOptions = GenAIClientOptions;

/**
 * The process's VA_GENAI_* options every LLM client shares, read when the first client or
 * instrumentation is set up and kept for the life of the process (the prices file is read once). On the
 * global object, so the CommonJS and ES module copies of this package read and warn once between them.
 */
const ENVIRONMENT_OPTIONS = Symbol.for('@va/instrumentation-google-genai.environment-options');
const globalSlot = globalThis as { [ENVIRONMENT_OPTIONS]?: GenAIClientOptions };

function environmentOptions(): GenAIClientOptions {
  globalSlot[ENVIRONMENT_OPTIONS] ??= clientOptionsFromEnvironment(process.env);
  return globalSlot[ENVIRONMENT_OPTIONS];
}

export function resolveSettings(
  explicit: GoogleGenAIInstrumentationOptions = {},
  defaults: GoogleGenAIInstrumentationOptions = environmentOptions(),
): ClientSettings {
  return resolveClientSettings(withDefaultOptions(explicit, defaults));
}
