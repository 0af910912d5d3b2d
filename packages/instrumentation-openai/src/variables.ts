import {
  type EnvironmentVariable,
  type EnvironmentVariableList,
  parseBoolean,
  parseNonEmptyString,
} from '@va/instrumentation-base/environment';
import {
  VA_GENAI_AGENT_NAME_ON_LLM_METRICS,
  VA_GENAI_NORMALIZE_MODEL_NAMES,
  VA_GENAI_PRICES_FILE,
} from '@va/instrumentation-genai';

// The defaults of every client's options, patched or wrapped with instrumentOpenAI(): a client's own options
// win (environment-options.ts). Those every LLM client shares are @va/instrumentation-genai's and listed here
// with the rest.

export const VA_GENAI_REQUEST_STREAM_USAGE: EnvironmentVariable<boolean> = {
  name: 'VA_GENAI_REQUEST_STREAM_USAGE',
  description:
    'Ask for usage on streamed Chat Completions (`stream_options.include_usage`) when the caller did not; the caller never sees the extra chunk. `false` for providers that reject the option: their streams then record no tokens.',
  expected: '`true` or `false`',
  defaultValue: true,
  defaultText: '`true`',
  origin: '@va',
  parse: parseBoolean,
};

export const VA_GENAI_PROVIDER_NAME: EnvironmentVariable<string | undefined> = {
  name: 'VA_GENAI_PROVIDER_NAME',
  description:
    "`gen_ai.provider.name` for every LLM call, instead of the name derived from the client's `baseURL` (`openai`, `azure.ai.openai`, a known provider, else the host).",
  expected: 'a non-empty string',
  defaultValue: undefined,
  defaultText: 'derived from `baseURL`',
  origin: '@va',
  parse: parseNonEmptyString,
};

export const OPENAI_VARIABLES: EnvironmentVariableList = [
  VA_GENAI_PRICES_FILE,
  VA_GENAI_REQUEST_STREAM_USAGE,
  VA_GENAI_NORMALIZE_MODEL_NAMES,
  VA_GENAI_PROVIDER_NAME,
  VA_GENAI_AGENT_NAME_ON_LLM_METRICS,
];
