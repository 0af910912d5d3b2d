import { type Environment, variableReader } from '@va/instrumentation-base/environment';
import { clientOptionsFromEnvironment } from '@va/instrumentation-genai';
import type { OpenAIInstrumentationOptions } from './options.js';
import { VA_GENAI_PROVIDER_NAME, VA_GENAI_REQUEST_STREAM_USAGE } from './variables.js';

const NAMESPACE = '@va/instrumentation-openai';
const readVariable = variableReader(NAMESPACE);

/** The options the VA_GENAI_* variables set: those every LLM client shares, and `openai`'s own. */
export function optionsFromEnvironment(environment: Environment): OpenAIInstrumentationOptions {
  return {
    ...clientOptionsFromEnvironment(environment),
    requestStreamUsage: readVariable(VA_GENAI_REQUEST_STREAM_USAGE, environment),
    providerName: readVariable(VA_GENAI_PROVIDER_NAME, environment),
  };
}

/**
 * The process's VA_GENAI_* options, read when the first client or instrumentation is set up and kept
 * for the life of the process (the prices file is read once). On the global object, so the CommonJS
 * and ES module copies of this package read and warn once between them.
 */
const ENVIRONMENT_OPTIONS = Symbol.for('@va/instrumentation-openai.environment-options');
const globalSlot = globalThis as { [ENVIRONMENT_OPTIONS]?: OpenAIInstrumentationOptions };

export function environmentOptions(): OpenAIInstrumentationOptions {
  globalSlot[ENVIRONMENT_OPTIONS] ??= optionsFromEnvironment(process.env);
  return globalSlot[ENVIRONMENT_OPTIONS];
}
