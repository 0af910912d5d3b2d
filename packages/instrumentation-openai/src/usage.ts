/**
 * Token counts exactly as the provider reported them. Each field is absent when the provider did
 * not report it; nothing is estimated here.
 */
export interface TokenUsage {
  /** Input tokens, cached ones included. */
  readonly input?: number;
  /** Output tokens, reasoning ones included. */
  readonly output?: number;
  readonly cachedInput?: number;
  readonly reasoningOutput?: number;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * Reads a `usage` object in either of OpenAI's spellings: Chat Completions / embeddings
 * (`prompt_tokens`, `completion_tokens`, `*_tokens_details`) or Responses / audio
 * (`input_tokens`, `output_tokens`, `*_tokens_details`). Audio usage of `type: "duration"` has no
 * tokens and reads as undefined.
 */
export function readUsage(usage: unknown): TokenUsage | undefined {
  if (usage === null || typeof usage !== 'object') return undefined;
  const input = count(field(usage, 'input_tokens'));
  if (input !== undefined || count(field(usage, 'output_tokens')) !== undefined) {
    return {
      input,
      output: count(field(usage, 'output_tokens')),
      cachedInput: count(field(field(usage, 'input_tokens_details'), 'cached_tokens')),
      reasoningOutput: count(field(field(usage, 'output_tokens_details'), 'reasoning_tokens')),
    };
  }
  const prompt = count(field(usage, 'prompt_tokens'));
  if (prompt === undefined && count(field(usage, 'completion_tokens')) === undefined) return undefined;
  return {
    input: prompt,
    output: count(field(usage, 'completion_tokens')),
    cachedInput: count(field(field(usage, 'prompt_tokens_details'), 'cached_tokens')),
    reasoningOutput: count(field(field(usage, 'completion_tokens_details'), 'reasoning_tokens')),
  };
}
