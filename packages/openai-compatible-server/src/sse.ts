/**
 * Server-sent events as OpenAI writes them: `data: <json>` (chat completions, transcriptions) or
 * `event: <type>` then `data: <json>` (responses), a blank line after each, and for chat a final
 * `data: [DONE]`.
 */
import type { Exchange } from './exchange.js';
import { StreamWriter } from './stream-writer.js';
import type { RecordedUsage } from './types.js';

export interface SseEvent {
  /** The `event:` line; chat completions and transcriptions have none. */
  event?: string;
  data: unknown;
}

export function formatSse(event: SseEvent): string {
  const eventLine = event.event === undefined ? '' : `event: ${event.event}\n`;
  return `${eventLine}data: ${JSON.stringify(event.data)}\n\n`;
}

export const DONE = 'data: [DONE]\n\n';

export class SseWriter extends StreamWriter {
  constructor(exchange: Exchange) {
    super(exchange, 'text/event-stream; charset=utf-8');
  }

  async send(event: SseEvent): Promise<void> {
    await this.sendRaw(formatSse(event));
  }

  /** Sends the last events, then `data: [DONE]` when `done`, and ends the response. */
  async finish(finals: readonly SseEvent[], usage: RecordedUsage | undefined, done: boolean): Promise<void> {
    await this.finishRaw(finals.map(formatSse), usage, done ? DONE : undefined);
  }
}
