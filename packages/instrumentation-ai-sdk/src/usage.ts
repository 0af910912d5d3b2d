import type { TokenUsage } from '@va/instrumentation-genai';

type Fields = Record<string, unknown>;

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function fieldsOf(value: unknown): Fields | undefined {
  return value !== null && typeof value === 'object' ? (value as Fields) : undefined;
}

function sum(total: number | undefined, ...parts: (number | undefined)[]): number | undefined {
  return total === undefined ? undefined : parts.reduce<number>((sum, part) => sum + (part ?? 0), total);
}

function withoutUndefined(usage: Record<keyof TokenUsage, number | undefined> | Fields): TokenUsage {
  return Object.fromEntries(Object.entries(usage).filter(([, value]) => value !== undefined));
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
  const input = fieldsOf(fields.inputTokens);
  const output = fieldsOf(fields.outputTokens);
  if (input !== undefined || output !== undefined) {
    return withoutUndefined({
      input: count(input?.total),
      cachedInput: count(input?.cacheRead),
      cacheWriteInput: count(input?.cacheWrite),
      output: count(output?.total),
      reasoningOutput: count(output?.reasoning),
    });
  }
  const anthropic = typeof provider === 'string' && provider.startsWith('anthropic');
  const metadata = fieldsOf(fieldsOf(providerMetadata)?.[anthropic ? 'anthropic' : 'openai']);
  if ('inputTokens' in fields || 'outputTokens' in fields) {
    const cachedInput = count(fields.cachedInputTokens);
    const cacheWriteInput = anthropic ? count(metadata?.cacheCreationInputTokens) : undefined;
    return withoutUndefined({
      input: anthropic
        ? sum(count(fields.inputTokens), cachedInput, cacheWriteInput)
        : count(fields.inputTokens),
      cachedInput,
      cacheWriteInput,
      output: count(fields.outputTokens),
      reasoningOutput: count(fields.reasoningTokens),
    });
  }
  if ('promptTokens' in fields || 'completionTokens' in fields) {
    const cachedInput = count(anthropic ? metadata?.cacheReadInputTokens : metadata?.cachedPromptTokens);
    const cacheWriteInput = anthropic ? count(metadata?.cacheCreationInputTokens) : undefined;
    return withoutUndefined({
      input: anthropic
        ? sum(count(fields.promptTokens), cachedInput, cacheWriteInput)
        : count(fields.promptTokens),
      cachedInput,
      cacheWriteInput,
      output: count(fields.completionTokens),
      reasoningOutput: anthropic ? undefined : count(metadata?.reasoningTokens),
    });
  }
  return undefined;
}

/** An embedding model call's usage: input tokens only (`usage.tokens`, every specification). */
export function embeddingUsageOf(usage: unknown): TokenUsage | undefined {
  const tokens = count(fieldsOf(usage)?.tokens);
  return tokens === undefined ? undefined : { input: tokens };
}
