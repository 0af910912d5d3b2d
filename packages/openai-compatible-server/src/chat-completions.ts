/**
 * `POST /v1/chat/completions`, streamed or not, with text or a tool call, shaped like OpenAI's so
 * that the openai client's types and helpers (`chat.completions.stream()`,
 * `finalChatCompletion()`) work on it unchanged.
 */
import { RequestError } from './errors.js';
import type { Exchange } from './exchange.js';
import { alphanumericId, nowSeconds } from './ids.js';
import { responseModel } from './models.js';
import { argumentFragments, firstToolName, replyDeltas, replyLength, toolArguments } from './reply.js';
import { SseWriter } from './sse.js';
import type { RecordedUsage } from './types.js';
import { chatPromptTokens, isRecord, usageOf } from './usage.js';

/** Fixed, like one backend build would be; instrumentations may record it. */
export const SYSTEM_FINGERPRINT = 'fp_5eed0pena1';

export function chatUsage(usage: RecordedUsage) {
  return {
    prompt_tokens: usage.input,
    completion_tokens: usage.output,
    total_tokens: usage.input + usage.output,
    prompt_tokens_details: { cached_tokens: usage.cachedInput, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: usage.reasoningOutput,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

/**
 * The tool to call, or undefined for a text answer: a tool call when tools are offered, the
 * caller did not say `tool_choice: 'none'`, and the conversation does not end with a tool result
 * (after which a model answers in text). A named `tool_choice` picks that tool.
 */
function toolToCall(body: Record<string, unknown>, messages: readonly unknown[]): string | undefined {
  const choice = body['tool_choice'];
  if (choice === 'none') return undefined;
  const last = messages.at(-1);
  if (isRecord(last) && (last['role'] === 'tool' || last['role'] === 'function')) return undefined;
  const named = isRecord(choice) && isRecord(choice['function']) ? choice['function']['name'] : undefined;
  const first = firstToolName(body['tools']);
  if (first === undefined) return undefined;
  return typeof named === 'string' ? named : first;
}

export async function chatCompletions(exchange: Exchange, body: Record<string, unknown>): Promise<void> {
  const requested = exchange.requireModel();
  const messages = body['messages'];
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new RequestError(400, "'messages' must be a non-empty array.", 'messages');
  }
  const model = responseModel(requested);
  exchange.model = model;
  const { scenario } = exchange;
  const stream = body['stream'] === true;
  const reportsUsage = !scenario.noUsage;
  const streamOptions = body['stream_options'];
  const includeUsage = reportsUsage && isRecord(streamOptions) && streamOptions['include_usage'] === true;

  const toolName = toolToCall(body, messages);
  const args = toolName === undefined ? '' : toolArguments(body['tools']);
  const fragments = toolName === undefined ? [] : argumentFragments(args);
  const deltas =
    toolName === undefined
      ? replyDeltas(replyLength(scenario.chunks, body['max_completion_tokens'] ?? body['max_tokens']))
      : [];
  const usage = usageOf(
    chatPromptTokens(messages),
    toolName === undefined ? deltas.length : fragments.length,
    scenario,
  );
  const finishReason = toolName === undefined ? 'stop' : 'tool_calls';
  const id = alphanumericId('chatcmpl-', 29);
  const callId = alphanumericId('call_', 24);
  const created = nowSeconds();

  if (!stream) {
    await exchange.beforeNonStreaming();
    const message =
      toolName === undefined
        ? { role: 'assistant', content: deltas.join(''), refusal: null, annotations: [] }
        : {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: callId, type: 'function', function: { name: toolName, arguments: args } }],
            refusal: null,
            annotations: [],
          };
    const completion = {
      id,
      object: 'chat.completion',
      created,
      model,
      choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
      ...(reportsUsage ? { usage: chatUsage(usage) } : {}),
      service_tier: 'default',
      system_fingerprint: SYSTEM_FINGERPRINT,
    };
    exchange.sendJson(200, completion, reportsUsage ? usage : undefined);
    return;
  }

  // With include_usage, OpenAI puts `usage: null` on every chunk and the numbers on one extra
  // last chunk whose `choices` is empty; without it, no chunk has a `usage` key at all.
  const chunk = (delta: Record<string, unknown>, finish: string | null, choices = true) => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    service_tier: 'default',
    system_fingerprint: SYSTEM_FINGERPRINT,
    choices: choices ? [{ index: 0, delta, logprobs: null, finish_reason: finish }] : [],
    ...(includeUsage ? { usage: choices ? null : chatUsage(usage) } : {}),
  });

  const sse = new SseWriter(exchange);
  if (toolName === undefined) {
    await sse.send({ data: chunk({ role: 'assistant', content: '', refusal: null }, null) });
    for (const delta of deltas) await sse.send({ data: chunk({ content: delta }, null) });
  } else {
    await sse.send({
      data: chunk(
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { index: 0, id: callId, type: 'function', function: { name: toolName, arguments: '' } },
          ],
          refusal: null,
        },
        null,
      ),
    });
    for (const fragment of fragments) {
      await sse.send({
        data: chunk({ tool_calls: [{ index: 0, function: { arguments: fragment } }] }, null),
      });
    }
  }
  const finals = [{ data: chunk({}, finishReason) }];
  if (includeUsage) finals.push({ data: chunk({}, null, false) });
  await sse.finish(finals, includeUsage ? usage : undefined, true);
}
