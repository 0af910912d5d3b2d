/**
 * The deterministic text the server answers with, and the tool-call arguments it invents.
 * Same request, same reply: tests can assert exact content and exact token counts.
 */
import { isRecord } from './usage.js';

/** Twelve words, the default reply; a reply of n words takes the first n, wrapping around. */
export const REPLY_WORDS: readonly string[] = [
  'Hello!',
  'This',
  'is',
  'a',
  'deterministic',
  'reply',
  'from',
  'a',
  'fake',
  'OpenAI-compatible',
  'test',
  'server.',
];

export const DEFAULT_REPLY_WORDS = 12;

/**
 * How many words to answer with: the `chunks` directive, else the request's token limit (one word
 * is one token here), else 12. At least one, so every stream has a content chunk.
 */
export function replyLength(directiveChunks: number | undefined, maxTokens: unknown): number {
  if (directiveChunks !== undefined) return Math.max(1, directiveChunks);
  if (typeof maxTokens === 'number' && Number.isFinite(maxTokens) && maxTokens > 0) {
    return Math.max(1, Math.floor(maxTokens));
  }
  return DEFAULT_REPLY_WORDS;
}

export function replyWords(count: number, words: readonly string[] = REPLY_WORDS): string[] {
  return Array.from({ length: count }, (_, index) => words[index % words.length]!);
}

/**
 * The pieces a streamed reply is sent in: the first word bare, the next ones with a leading space,
 * so that joining the deltas gives `words.join(' ')`, as OpenAI's deltas do.
 */
export function replyDeltas(count: number): string[] {
  return replyWords(count).map((word, index) => (index === 0 ? word : ` ${word}`));
}

/** The first tool that has a name (chat nests it under `function`, responses does not). */
export function firstToolName(tools: unknown): string | undefined {
  if (!Array.isArray(tools)) return undefined;
  for (const tool of tools) {
    if (!isRecord(tool)) continue;
    if (typeof tool['name'] === 'string') return tool['name'];
    const fn = tool['function'];
    if (isRecord(fn) && typeof fn['name'] === 'string') return fn['name'];
  }
  return undefined;
}

function firstToolParameters(tools: unknown): unknown {
  if (!Array.isArray(tools)) return undefined;
  for (const tool of tools) {
    if (!isRecord(tool)) continue;
    if (typeof tool['name'] === 'string') return tool['parameters'];
    const fn = tool['function'];
    if (isRecord(fn) && typeof fn['name'] === 'string') return fn['parameters'];
  }
  return undefined;
}

/**
 * Arguments for a call of the first tool: one placeholder value per property of its JSON schema
 * ('test' for strings, 1 for numbers, true for booleans…), so a demo agent's tool code gets
 * arguments of the right types.
 */
export function toolArguments(tools: unknown): string {
  const parameters = firstToolParameters(tools);
  const properties =
    isRecord(parameters) && isRecord(parameters['properties']) ? parameters['properties'] : {};
  const args: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(properties)) {
    args[name] = placeholder(schema);
  }
  return JSON.stringify(args);
}

function placeholder(schema: unknown): unknown {
  if (!isRecord(schema)) return null;
  if (Array.isArray(schema['enum']) && schema['enum'].length > 0) return schema['enum'][0];
  const type = Array.isArray(schema['type']) ? schema['type'][0] : schema['type'];
  switch (type) {
    case 'string':
      return 'test';
    case 'number':
    case 'integer':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return [];
    case 'object':
      return {};
    default:
      return null;
  }
}

/** Tool-call arguments are streamed in fragments of this many characters; each counts as one output token. */
export const ARGUMENT_FRAGMENT_CHARS = 8;

export function argumentFragments(args: string): string[] {
  const fragments: string[] = [];
  for (let index = 0; index < args.length; index += ARGUMENT_FRAGMENT_CHARS) {
    fragments.push(args.slice(index, index + ARGUMENT_FRAGMENT_CHARS));
  }
  return fragments.length === 0 ? [''] : fragments;
}
