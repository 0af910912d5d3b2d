import { fieldOf, type TokenUsage, tokenCountOf } from '@va/instrumentation-genai';

function sumOf(parts: readonly (number | undefined)[]): number | undefined {
  let sum: number | undefined;
  for (const part of parts) if (part !== undefined) sum = (sum ?? 0) + part;
  return sum;
}

/**
 * Reads an Anthropic `usage` (a message's, or `message_start`'s / `message_delta`'s in a stream).
 * Anthropic's `input_tokens` leaves out the prompt-cache reads and writes; the GenAI conventions count
 * every input token as input, so `input` adds them, and the cache counts are its subsets. A usage with
 * no count at all reads as undefined.
 */
export function readAnthropicUsage(usage: unknown): TokenUsage | undefined {
  if (usage === null || typeof usage !== 'object') return undefined;
  const uncached = tokenCountOf(fieldOf(usage, 'input_tokens'));
  const cachedInput = tokenCountOf(fieldOf(usage, 'cache_read_input_tokens'));
  const cacheWriteInput = tokenCountOf(fieldOf(usage, 'cache_creation_input_tokens'));
  const output = tokenCountOf(fieldOf(usage, 'output_tokens'));
  const input = sumOf([uncached, cachedInput, cacheWriteInput]);
  if (input === undefined && output === undefined) return undefined;
  return {
    input,
    output,
    cachedInput,
    cacheWriteInput,
    cacheWrite1hInput: tokenCountOf(fieldOf(fieldOf(usage, 'cache_creation'), 'ephemeral_1h_input_tokens')),
  };
}

/**
 * A stream's usage after `message_delta`: its counts are cumulative and final, so its output replaces
 * `message_start`'s provisional one (never added to it). When it carries `input_tokens` too, its input
 * and cache counts are the final ones; otherwise those stay as `message_start` reported them.
 */
export function withFinalUsage(earlier: TokenUsage | undefined, delta: unknown): TokenUsage | undefined {
  const final = readAnthropicUsage(delta);
  if (final === undefined) return earlier;
  if (earlier === undefined || tokenCountOf(fieldOf(delta, 'input_tokens')) !== undefined) return final;
  return { ...earlier, output: final.output ?? earlier.output };
}
