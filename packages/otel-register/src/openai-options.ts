import { readFileSync } from 'node:fs';
import { diag } from '@opentelemetry/api';
import type { OpenAIInstrumentationOptions, PriceTable } from '@va/instrumentation-openai';
import {
  type Environment,
  readVariable,
  VA_GENAI_AGENT_NAME_ON_LLM_METRICS,
  VA_GENAI_NORMALIZE_MODEL_NAMES,
  VA_GENAI_PRICES_FILE,
  VA_GENAI_PROVIDER_NAME,
  VA_GENAI_REQUEST_STREAM_USAGE,
} from '@va/otel-sdk';

const logger = diag.createComponentLogger({ namespace: '@va/otel-register' });

/** Reads a user's price table; a file we cannot use is a warning, and the built-in table stays. */
function readPriceFile(path: string): PriceTable | undefined {
  try {
    const table: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (table === null || typeof table !== 'object' || Array.isArray(table)) {
      throw new Error('expected a JSON object of model names to { input, cachedInput?, output? }');
    }
    return table as PriceTable;
  } catch (error) {
    logger.warn(
      `${VA_GENAI_PRICES_FILE.name}=${path} could not be used (${(error as Error).message}); using the built-in prices only`,
    );
    return undefined;
  }
}

/** The OpenAI instrumentation's options under the register, from the environment alone. */
export function openAIOptionsFromEnvironment(env: Environment): OpenAIInstrumentationOptions {
  const pricesFile = readVariable(VA_GENAI_PRICES_FILE, env);
  return {
    prices: pricesFile === undefined ? undefined : readPriceFile(pricesFile),
    requestStreamUsage: readVariable(VA_GENAI_REQUEST_STREAM_USAGE, env),
    normalizeModelNames: readVariable(VA_GENAI_NORMALIZE_MODEL_NAMES, env),
    providerName: readVariable(VA_GENAI_PROVIDER_NAME, env),
    agentNameOnLLMMetrics: readVariable(VA_GENAI_AGENT_NAME_ON_LLM_METRICS, env),
  };
}
