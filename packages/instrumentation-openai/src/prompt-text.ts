/**
 * The prompt as plain text, only for opt-in local token counting. It is handed to the user's
 * tokenizer and never stored or recorded.
 */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content) {
    if (typeof part === 'string') text += part;
    else if (part !== null && typeof part === 'object') {
      const value =
        (part as { text?: unknown; content?: unknown }).text ?? (part as { content?: unknown }).content;
      text += textOf(value);
    }
  }
  return text;
}

export function promptTextOf(params: Record<string, unknown>): string {
  if (Array.isArray(params.messages)) {
    return params.messages
      .map((message) => textOf((message as { content?: unknown } | null)?.content))
      .join('\n');
  }
  return textOf(params.input ?? params.prompt);
}
