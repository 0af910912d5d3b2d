import {
  type ClientSettings,
  type GenAIClientOptions,
  resolveClientSettings,
  withDefaultOptions,
} from './client-settings.js';
import { clientOptionsFromEnvironment } from './client-variables.js';

/**
 * The process's `VA_GENAI_*` options every LLM client shares, read when the first client or
 * instrumentation asks and kept for the life of the process (the prices file is read once). On the
 * global object, so every client package and its CommonJS and ES module copies read and warn once
 * between them. (`openai`'s own variables are read by @va/instrumentation-openai.)
 */
const PROCESS_OPTIONS = Symbol.for('@va/instrumentation-genai.process-client-options');
const globalSlot = globalThis as { [PROCESS_OPTIONS]?: GenAIClientOptions };

export function processClientOptions(): GenAIClientOptions {
  globalSlot[PROCESS_OPTIONS] ??= clientOptionsFromEnvironment(process.env);
  return globalSlot[PROCESS_OPTIONS];
}

/** A client's settings: its own options over `defaults` (the process's `VA_GENAI_*` options unless given). */
export function clientSettingsOf(
  options: GenAIClientOptions = {},
  defaults: GenAIClientOptions = processClientOptions(),
): ClientSettings {
  return resolveClientSettings(withDefaultOptions(options, defaults));
}
