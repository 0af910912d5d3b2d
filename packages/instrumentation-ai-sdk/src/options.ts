import {
  type ClientSettings,
  clientOptionsFromEnvironment,
  type GenAIClientOptions,
  resolveClientSettings,
  withDefaultOptions,
} from '@va/instrumentation-genai';

/**
 * The options every LLM client takes (@va/instrumentation-genai). `providerName` overrides the name
 * derived from the AI SDK model's `provider` (providerNameOf()).
 */
export type AISDKInstrumentationOptions = GenAIClientOptions;

/**
 * The process's VA_GENAI_* options, read when the first model or instrumentation is set up and kept for
 * the life of the process (the prices file is read once). On the global object, so the CommonJS and ES
 * module copies of this package read and warn once between them.
 */
const ENVIRONMENT_OPTIONS = Symbol.for('@va/instrumentation-ai-sdk.environment-options');
const globalSlot = globalThis as { [ENVIRONMENT_OPTIONS]?: GenAIClientOptions };

function environmentOptions(): GenAIClientOptions {
  globalSlot[ENVIRONMENT_OPTIONS] ??= clientOptionsFromEnvironment(process.env);
  return globalSlot[ENVIRONMENT_OPTIONS];
}

export function resolveSettings(
  explicit: AISDKInstrumentationOptions = {},
  defaults: AISDKInstrumentationOptions = environmentOptions(),
): ClientSettings {
  return resolveClientSettings(withDefaultOptions(explicit, defaults));
}
