/**
 * Anthropic's Messages API: `POST /v1/messages`, streamed or not, and
 * `POST /v1/messages/count_tokens`, shaped like Anthropic's so that the `@anthropic-ai/sdk`
 * client's types and helpers (`messages.stream()`, `finalMessage()`) work on it unchanged. The
 * stream is Anthropic's event sequence: `message_start` (usage so far, `output_tokens: 1`),
 * `content_block_start`, `ping`, one `content_block_delta` per word, `content_block_stop`,
 * `message_delta` (stop reason and the whole message's usage, output cumulative), `message_stop`.
 * `overloaded-after:<n>` ends it after n events with an `error` event, as Anthropic does when it
 * runs out of capacity mid-stream (the status stays 200).
 */
import { anthropicError } from './anthropic-errors.js';
import { RequestError } from './errors.js';
import type { Exchange } from './exchange.js';
import { alphanumericId } from './ids.js';
import { DEFAULT_REPLY_WORDS, replyDeltas } from './reply.js';
import type { Scenario } from './scenarios.js';
import { SseWriter } from './sse.js';
import type { RecordedUsage } from './types.js';
import { anthropicInputTokens, usageOf } from './usage.js';

/** The usage fields Anthropic sends: `input_tokens` leaves out what the cache read or wrote. */
export function anthropicUsage(usage: RecordedUsage) {
  const cacheWrite = usage.cacheWriteInput ?? 0;
  return {
    input_tokens: usage.input - usage.cachedInput - cacheWrite,
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: usage.cachedInput,
    output_tokens: usage.output,
  };
}

/** The `usage` of a message object (the response, or `message_start`'s provisional one). */
function messageUsage(usage: RecordedUsage, outputTokens: number) {
  return {
    ...anthropicUsage(usage),
    cache_creation: { ephemeral_5m_input_tokens: usage.cacheWriteInput ?? 0, ephemeral_1h_input_tokens: 0 },
    output_tokens: outputTokens,
    service_tier: 'standard',
  };
}

/** Cache reads come off the input first, cache writes off what is left. */
function usageWithCache(input: number, output: number, scenario: Scenario): RecordedUsage {
  const usage = usageOf(input, output, scenario);
  return { ...usage, cacheWriteInput: Math.min(scenario.cacheWrite ?? 0, usage.input - usage.cachedInput) };
}

/** The request's model and messages, refused with Anthropic's wording when missing. */
function requireModelAndMessages(exchange: Exchange, body: Record<string, unknown>): unknown[] {
  const model = exchange.requestedModel;
  if (model === undefined || model === '') throw new RequestError(400, 'model: Field required');
  const messages = body['messages'];
  if (!Array.isArray(messages)) throw new RequestError(400, 'messages: Field required');
  if (messages.length === 0) throw new RequestError(400, 'messages: at least one message is required');
  // Anthropic echoes the model as sent: a dated snapshot stays dated, an alias stays an alias.
  exchange.model = model;
  return messages;
}

export async function messages(exchange: Exchange, body: Record<string, unknown>): Promise<void> {
  const conversation = requireModelAndMessages(exchange, body);
  const maxTokens = body['max_tokens'];
  if (maxTokens === undefined) throw new RequestError(400, 'max_tokens: Field required');
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1) {
    throw new RequestError(400, 'max_tokens: Input should be a valid integer greater than or equal to 1');
  }
  const { scenario } = exchange;
  // One word is one token: a `max_tokens` below the reply's length cuts it, as Anthropic stops there.
  const wanted = Math.max(1, scenario.chunks ?? DEFAULT_REPLY_WORDS);
  const deltas = replyDeltas(Math.min(wanted, maxTokens));
  const stopReason = deltas.length < wanted ? 'max_tokens' : 'end_turn';
  const usage = usageWithCache(anthropicInputTokens(body['system'], conversation), deltas.length, scenario);
  const id = alphanumericId('msg_', 24);
  const model = exchange.model;

  if (body['stream'] !== true) {
    await exchange.beforeNonStreaming();
    const message = {
      id,
      type: 'message',
      role: 'assistant',
      model,
      content: [{ type: 'text', text: deltas.join('') }],
      stop_reason: stopReason,
      stop_sequence: null,
      usage: messageUsage(usage, usage.output),
    };
    exchange.sendJson(200, message, usage);
    return;
  }

  const event = (type: string, fields: Record<string, unknown> = {}) => ({
    event: type,
    data: { type, ...fields },
  });
  const events = [
    event('message_start', {
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: messageUsage(usage, 1),
      },
    }),
    event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
    event('ping'),
    ...deltas.map((text) => event('content_block_delta', { index: 0, delta: { type: 'text_delta', text } })),
    event('content_block_stop', { index: 0 }),
    event('message_delta', {
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: anthropicUsage(usage),
    }),
    event('message_stop'),
  ];
  const sse = new SseWriter(exchange);
  const { overloadedAfter } = scenario;
  if (overloadedAfter !== undefined && overloadedAfter < events.length) {
    for (const sent of events.slice(0, overloadedAfter)) await sse.send(sent);
    await sse.finish([event('error', { error: anthropicError(529) })], undefined, false);
    return;
  }
  for (const sent of events.slice(0, -1)) await sse.send(sent);
  await sse.finish(events.slice(-1), usage, false);
}

/** `POST /v1/messages/count_tokens`: the input tokens the same request would have, cache or not. */
export async function countTokens(exchange: Exchange, body: Record<string, unknown>): Promise<void> {
  const conversation = requireModelAndMessages(exchange, body);
  await exchange.beforeNonStreaming();
  exchange.sendJson(200, { input_tokens: anthropicInputTokens(body['system'], conversation) });
}
