import {
  type Environment,
  type EnvironmentVariable,
  parseBoolean,
  variableReader,
} from '@va/instrumentation-base/environment';
import type { GenAIClientOptions } from './client-settings.js';
import { pricesFromEnvironment } from './price-file.js';

// The defaults of every LLM client's options, patched or wrapped: a client's own options win.

export const VA_GENAI_NORMALIZE_MODEL_NAMES: EnvironmentVariable<boolean> = {
  name: 'VA_GENAI_NORMALIZE_MODEL_NAMES',
  description:
    '`true` strips dated snapshot suffixes from model labels (`gpt-4o-2024-08-06` → `gpt-4o`), for fewer series. By default models are recorded as sent and as reported.',
  expected: '`true` or `false`',
  defaultValue: false,
  defaultText: '`false`',
  origin: '@va',
  parse: parseBoolean,
};

export const VA_GENAI_AGENT_NAME_ON_LLM_METRICS: EnvironmentVariable<boolean> = {
  name: 'VA_GENAI_AGENT_NAME_ON_LLM_METRICS',
  description:
    '`true` labels LLM metrics with the enclosing agent invocation (`gen_ai.agent.name`, from @va/instrumentation-agent). Off by default: every LLM series is multiplied by the number of agents.',
  expected: '`true` or `false`',
  defaultValue: false,
  defaultText: '`false`',
  origin: '@va',
  parse: parseBoolean,
};

const readVariable = variableReader('@va/instrumentation-genai');

/** The options the shared VA_GENAI_* variables set. */
export function clientOptionsFromEnvironment(environment: Environment): GenAIClientOptions {
  return {
    prices: pricesFromEnvironment(environment),
    normalizeModelNames: readVariable(VA_GENAI_NORMALIZE_MODEL_NAMES, environment),
    agentNameOnLLMMetrics: readVariable(VA_GENAI_AGENT_NAME_ON_LLM_METRICS, environment),
  };
}
