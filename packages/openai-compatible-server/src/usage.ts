/**
 * Deterministic token counts. They are not a tokenizer: they are simple enough that a test can
 * predict them by hand, and stable across runs, which is all an instrumentation test needs.
 *
 * - chat input: for each message, 3 + the words of its content (a string, or the `text` of each part)
 * - responses input: the same per input item (a string input is one item), `instructions` counting
 *   as one more item; a function_call_output counts the words of its `output`
 * - Anthropic messages input: chat's count over `messages`, and `system` (a string or text blocks)
 *   as one more message; `cache-read:<n>` and `cache-write:<n>` say how much of it the cache served
 *   or took, and Anthropic's `input_tokens` is the rest
 * - Gemini input (`generateContent`, `countTokens`): chat's count with each of `contents` as a
 *   message (the words of its parts' `text`), and `systemInstruction` as one more; `cache-read:<n>`
 *   says how much of it the cache served, and `promptTokenCount` still counts it, as Gemini's does
 * - embeddings input: the words of each input string, or the length of each token array
 * - output: the words of the reply (or the argument fragments of a tool call), plus `reasoning:<n>`
 * - transcription input: ceil(file bytes / 100)
 *
 * A "word" is a run of non-whitespace characters.
 */
import type { RecordedUsage } from './types.js';

/** Tokens every message costs on top of its words, as OpenAI's own accounting has a per-message overhead. */
export const TOKENS_PER_MESSAGE = 3;

export function countWords(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? 0 : trimmed.split(/\s+/).length;
}

/** Words in a message content: a string, or an array of parts whose `text` fields count. */
export function contentWords(content: unknown): number {
  if (typeof content === 'string') return countWords(content);
  if (!Array.isArray(content)) return 0;
  let words = 0;
  for (const part of content) {
    if (typeof part === 'string') words += countWords(part);
    else if (isRecord(part) && typeof part['text'] === 'string') words += countWords(part['text']);
  }
  return words;
}

export function chatPromptTokens(messages: readonly unknown[]): number {
  let tokens = 0;
  for (const message of messages) {
    tokens += TOKENS_PER_MESSAGE + (isRecord(message) ? contentWords(message['content']) : 0);
  }
  return tokens;
}

/** All input tokens of an Anthropic request, cached or not: `system` counts as one more message. */
export function anthropicInputTokens(system: unknown, messages: readonly unknown[]): number {
  const systemTokens = system === undefined ? 0 : TOKENS_PER_MESSAGE + contentWords(system);
  return systemTokens + chatPromptTokens(messages);
}

/** One Gemini `Content` (`{ role, parts: [{ text }] }`, or a bare string) as a message. */
function geminiContentTokens(content: unknown): number {
  if (typeof content === 'string') return TOKENS_PER_MESSAGE + countWords(content);
  return TOKENS_PER_MESSAGE + (isRecord(content) ? contentWords(content['parts']) : 0);
}

/** All input tokens of a Gemini request, cached or not: `systemInstruction` counts as one more content. */
export function geminiInputTokens(systemInstruction: unknown, contents: readonly unknown[]): number {
  let tokens = systemInstruction === undefined ? 0 : geminiContentTokens(systemInstruction);
  for (const content of contents) tokens += geminiContentTokens(content);
  return tokens;
}

export function responsesInputTokens(input: unknown, instructions: unknown): number {
  let tokens = typeof instructions === 'string' ? TOKENS_PER_MESSAGE + countWords(instructions) : 0;
  if (typeof input === 'string') return tokens + TOKENS_PER_MESSAGE + countWords(input);
  if (!Array.isArray(input)) return tokens;
  for (const item of input) {
    tokens += TOKENS_PER_MESSAGE;
    if (!isRecord(item)) continue;
    if (item['type'] === 'function_call_output') tokens += contentWords(item['output']);
    else if (item['type'] === 'function_call') tokens += countWords(String(item['arguments'] ?? ''));
    else tokens += contentWords(item['content']);
  }
  return tokens;
}

export function embeddingInputTokens(input: unknown): number {
  if (typeof input === 'string') return countWords(input);
  if (!Array.isArray(input)) return 0;
  // A flat array of numbers is one pre-tokenized input; an array of arrays is several.
  if (input.every((value) => typeof value === 'number')) return input.length;
  let tokens = 0;
  for (const value of input) {
    if (typeof value === 'string') tokens += countWords(value);
    else if (Array.isArray(value)) tokens += value.length;
  }
  return tokens;
}

export function transcriptionInputTokens(fileBytes: number): number {
  return Math.ceil(fileBytes / 100);
}

/** The usage of one answer, with the scenario's cached and reasoning tokens applied. */
export function usageOf(
  input: number,
  contentOutput: number,
  directives: { cached?: number; reasoning?: number },
): RecordedUsage {
  const reasoningOutput = directives.reasoning ?? 0;
  return {
    input,
    output: contentOutput + reasoningOutput,
    cachedInput: Math.min(directives.cached ?? 0, input),
    reasoningOutput,
  };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
