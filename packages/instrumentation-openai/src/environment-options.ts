import { readFileSync } from 'node:fs';
import { diag } from '@opentelemetry/api';
import { type Environment, variableReader } from '@va/instrumentation-base/environment';
import type { OpenAIInstrumentationOptions } from './options.js';
import type { PriceTable } from './prices.js';
import {
  VA_GENAI_AGENT_NAME_ON_LLM_METRICS,
  VA_GENAI_NORMALIZE_MODEL_NAMES,
  VA_GENAI_PRICES_FILE,
  VA_GENAI_PROVIDER_NAME,
  VA_GENAI_REQUEST_STREAM_USAGE,
} from './variables.js';

const NAMESPACE = '@va/instrumentation-openai';
const logger = diag.createComponentLogger({ namespace: NAMESPACE });
const readVariable = variableReader(NAMESPACE);

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

/** The options the VA_GENAI_* variables set. */
export function optionsFromEnvironment(environment: Environment): OpenAIInstrumentationOptions {
  const pricesFile = readVariable(VA_GENAI_PRICES_FILE, environment);
  return {
    prices: pricesFile === undefined ? undefined : readPriceFile(pricesFile),
    requestStreamUsage: readVariable(VA_GENAI_REQUEST_STREAM_USAGE, environment),
    normalizeModelNames: readVariable(VA_GENAI_NORMALIZE_MODEL_NAMES, environment),
    providerName: readVariable(VA_GENAI_PROVIDER_NAME, environment),
    agentNameOnLLMMetrics: readVariable(VA_GENAI_AGENT_NAME_ON_LLM_METRICS, environment),
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
