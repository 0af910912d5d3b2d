import {
  type ClientSettings,
  clientOptionsFromEnvironment,
  type GenAIClientOptions,
  resolveClientSettings,
  withDefaultOptions,
} from '@va/instrumentation-genai';

/**
 * The options every LLM client takes (@va/instrumentation-genai). `providerName` defaults to
 * `anthropic`, whatever the client's `baseURL`.
 */
export type AnthropicInstrumentationOptions = GenAIClientOptions;

/**
 * The process's VA_GENAI_* options every LLM client shares, read when the first client or
 * instrumentation is set up and kept for the life of the process (the prices file is read once). On the
 * global object, so the CommonJS and ES module copies of this package read and warn once between them.
 */
const ENVIRONMENT_OPTIONS = Symbol.for('@va/instrumentation-anthropic.environment-options');
const globalSlot = globalThis as { [ENVIRONMENT_OPTIONS]?: GenAIClientOptions };

function environmentOptions(): GenAIClientOptions {
  globalSlot[ENVIRONMENT_OPTIONS] ??= clientOptionsFromEnvironment(process.env);
  return globalSlot[ENVIRONMENT_OPTIONS];
}

export function resolveSettings(
  explicit: AnthropicInstrumentationOptions = {},
  defaults: AnthropicInstrumentationOptions = environmentOptions(),
): ClientSettings {
  return resolveClientSettings(withDefaultOptions(explicit, defaults));
}
