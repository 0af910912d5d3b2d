import { readFileSync } from 'node:fs';
import { diag } from '@opentelemetry/api';
import {
  type Environment,
  type EnvironmentVariable,
  parseNonEmptyString,
  variableReader,
} from '@va/instrumentation-base/environment';
import type { PriceTable } from './prices.js';

const NAMESPACE = '@va/instrumentation-genai';
const logger = diag.createComponentLogger({ namespace: NAMESPACE });
const readVariable = variableReader(NAMESPACE);

export const VA_GENAI_PRICES_FILE: EnvironmentVariable<string | undefined> = {
  name: 'VA_GENAI_PRICES_FILE',
  description:
    'A JSON file of model prices merged over the built-in table (yours wins per model): per million tokens, `{"my-model": {"input": 0.5, "cachedInput": 0.25, "output": 1.5}}`; prompt-cache writes take `cacheWriteInput` (and `cacheWrite1hInput` for one-hour writes); prices that depend on the prompt\'s length take `above`, a list of `{"inputTokens": 200000, "input": 2.5, "output": 15}` whose prices replace the model\'s for a longer prompt; models whose usage is split by modality (Realtime) also take `audioInput`, `cachedAudioInput`, `audioOutput`, `imageInput` and `cachedImageInput`; speech to text billed by audio length takes `perMinuteOfAudio` (USD per minute), text to speech billed by the character `perMillionCharacters` (USD per million characters). Read once at start; an unreadable file is a warning and the built-in table stays.',
  expected: 'a path to a JSON file',
  defaultValue: undefined,
  defaultText: 'built-in table only',
  origin: '@va',
  parse: parseNonEmptyString,
};

/** Reads a user's price table; a file we cannot use is a warning, and the built-in table stays. */
function readPriceFile(path: string): PriceTable | undefined {
  try {
    const table: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (table === null || typeof table !== 'object' || Array.isArray(table)) {
      throw new Error('expected a JSON object of model names to prices');
    }
    return table as PriceTable;
  } catch (error) {
    logger.warn(
      `${VA_GENAI_PRICES_FILE.name}=${path} could not be used (${(error as Error).message}); using the built-in prices only`,
    );
    return undefined;
  }
}

/**
 * The files read so far, by path: each is read (and warned about) once per process, whichever
 * instrumentation asks first. On the global object, so the CommonJS and ES module copies share it.
 */
const PRICE_FILES = Symbol.for('@va/instrumentation-genai.price-files');
const globalSlot = globalThis as { [PRICE_FILES]?: Map<string, PriceTable | undefined> };

/** The table of `VA_GENAI_PRICES_FILE` in `environment`, or undefined when it names none or cannot be used. */
export function pricesFromEnvironment(environment: Environment = process.env): PriceTable | undefined {
  const path = readVariable(VA_GENAI_PRICES_FILE, environment);
  if (path === undefined) return undefined;
  globalSlot[PRICE_FILES] ??= new Map();
  const files = globalSlot[PRICE_FILES];
  if (!files.has(path)) files.set(path, readPriceFile(path));
  return files.get(path);
}
