import { tokenCountOf as count, fieldOf, type TokenUsage } from '@va/instrumentation-genai';

type Fields = Record<string, unknown>;

function fieldsOf(value: unknown): Fields | undefined {
  return value !== null && typeof value === 'object' ? (value as Fields) : undefined;
}

function sum(total: number | undefined, ...parts: (number | undefined)[]): number | undefined {
  return total === undefined ? undefined : parts.reduce<number>((sum, part) => sum + (part ?? 0), total);
}

function withoutUndefined(usage: Fields): TokenUsage {
  return Object.fromEntries(Object.entries(usage).filter(([, value]) => value !== undefined));
}

/** v1 and v2 counts, Anthropic's input made whole (its cache reads and writes added). */
type Counts = Record<
  'input' | 'cachedInput' | 'cacheWriteInput' | 'output' | 'reasoningOutput',
  number | undefined
>;

function flatUsage(anthropic: boolean, counts: Counts): TokenUsage {
  const { input, cachedInput, cacheWriteInput } = counts;
  return withoutUndefined({ ...counts, input: anthropic ? sum(input, cachedInput, cacheWriteInput) : input });
}

/**
 * An AI SDK model call's usage as TokenUsage (input with cache reads and writes, output with
 * reasoning), from whichever specification the model implements:
 * - v3 and v4 (`ai` 6 and 7): `inputTokens { total, noCache, cacheRead, cacheWrite }` and
 *   `outputTokens { total, text, reasoning }`, totals already complete;
 * - v2 (`ai` 5): `inputTokens`, `outputTokens`, `reasoningTokens`, `cachedInputTokens`;
 * - v1 (`ai` 4): `promptTokens`, `completionTokens` (NaN when the provider sent none); cache and
 *   reasoning counts only in the provider's metadata.
 * Before v3, Anthropic's provider reports input without the cache reads and writes (its API's
 * `input_tokens`), the writes in its metadata only: they are added here.
 */
export function usageOf(
  usage: unknown,
  providerMetadata: unknown,
  provider: unknown,
): TokenUsage | undefined {
  const fields = fieldsOf(usage);
  if (fields === undefined) return undefined;
  const { inputTokens, outputTokens } = fields;
  if (fieldsOf(inputTokens) !== undefined || fieldsOf(outputTokens) !== undefined) {
    return withoutUndefined({
      input: count(fieldOf(inputTokens, 'total')),
      cachedInput: count(fieldOf(inputTokens, 'cacheRead')),
      cacheWriteInput: count(fieldOf(inputTokens, 'cacheWrite')),
      output: count(fieldOf(outputTokens, 'total')),
      reasoningOutput: count(fieldOf(outputTokens, 'reasoning')),
    });
  }
  const anthropic = typeof provider === 'string' && provider.startsWith('anthropic');
  const metadata = fieldOf(providerMetadata, anthropic ? 'anthropic' : 'openai');
  const cacheWriteInput = anthropic ? count(fieldOf(metadata, 'cacheCreationInputTokens')) : undefined;
  if ('inputTokens' in fields || 'outputTokens' in fields) {
    return flatUsage(anthropic, {
      input: count(fields.inputTokens),
      cachedInput: count(fields.cachedInputTokens),
      cacheWriteInput,
      output: count(fields.outputTokens),
      reasoningOutput: count(fields.reasoningTokens),
    });
  }
  if ('promptTokens' in fields || 'completionTokens' in fields) {
    return flatUsage(anthropic, {
      input: count(fields.promptTokens),
      cachedInput: count(fieldOf(metadata, anthropic ? 'cacheReadInputTokens' : 'cachedPromptTokens')),
      cacheWriteInput,
      output: count(fields.completionTokens),
      reasoningOutput: anthropic ? undefined : count(fieldOf(metadata, 'reasoningTokens')),
    });
  }
  return undefined;
}

/** An embedding model call's usage: input tokens only (`usage.tokens`, every specification). */
export function embeddingUsageOf(usage: unknown): TokenUsage | undefined {
  const tokens = count(fieldOf(usage, 'tokens'));
  return tokens === undefined ? undefined : { input: tokens };
}
