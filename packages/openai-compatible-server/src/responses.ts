/**
 * `POST /v1/responses` (the Responses API), streamed or not, with a message or a function call.
 * The streamed events are the ones the openai client's ResponseStream accumulates (created,
 * in_progress, output_item/content_part added and done, text or argument deltas, completed), each
 * with its `sequence_number`, so `responses.stream()` and `finalResponse()` work on them.
 */
import type { Exchange } from './exchange.js';
import { alphanumericId, hexId, nowSeconds } from './ids.js';
import { responseModel } from './models.js';
import { argumentFragments, firstToolName, replyDeltas, replyLength, toolArguments } from './reply.js';
import { type SseEvent, SseWriter } from './sse.js';
import type { RecordedUsage } from './types.js';
import { isRecord, responsesInputTokens, usageOf } from './usage.js';

export function responsesUsage(usage: RecordedUsage) {
  return {
    input_tokens: usage.input,
    input_tokens_details: { cached_tokens: usage.cachedInput },
    output_tokens: usage.output,
    output_tokens_details: { reasoning_tokens: usage.reasoningOutput },
    total_tokens: usage.input + usage.output,
  };
}

/** A function call when function tools are offered and the input carries no function result yet. */
function toolToCall(body: Record<string, unknown>): string | undefined {
  const choice = body['tool_choice'];
  if (choice === 'none') return undefined;
  const input = body['input'];
  if (
    Array.isArray(input) &&
    input.some((item) => isRecord(item) && item['type'] === 'function_call_output')
  ) {
    return undefined;
  }
  const first = firstToolName(body['tools']);
  if (first === undefined) return undefined;
  return isRecord(choice) && typeof choice['name'] === 'string' ? choice['name'] : first;
}

export async function responses(exchange: Exchange, body: Record<string, unknown>): Promise<void> {
  const model = responseModel(exchange.requireModel());
  exchange.model = model;
  const { scenario } = exchange;
  const stream = body['stream'] === true;
  const reportsUsage = !scenario.noUsage;

  const toolName = toolToCall(body);
  const args = toolName === undefined ? '' : toolArguments(body['tools']);
  const fragments = toolName === undefined ? [] : argumentFragments(args);
  const deltas =
    toolName === undefined ? replyDeltas(replyLength(scenario.chunks, body['max_output_tokens'])) : [];
  const text = deltas.join('');
  const usage = usageOf(
    responsesInputTokens(body['input'], body['instructions']),
    toolName === undefined ? deltas.length : fragments.length,
    scenario,
  );
  const id = hexId('resp_', 48);
  const itemId = hexId(toolName === undefined ? 'msg_' : 'fc_', 48);
  const callId = alphanumericId('call_', 24);
  const createdAt = nowSeconds();

  const outputText = { type: 'output_text', annotations: [], logprobs: [], text };
  const doneItem =
    toolName === undefined
      ? { id: itemId, type: 'message', status: 'completed', content: [outputText], role: 'assistant' }
      : {
          id: itemId,
          type: 'function_call',
          status: 'completed',
          arguments: args,
          call_id: callId,
          name: toolName,
        };

  // The request's settings echoed back, as OpenAI's response object does.
  const response = (status: string, output: unknown[], withUsage: boolean) => ({
    id,
    object: 'response',
    created_at: createdAt,
    status,
    background: false,
    error: null,
    incomplete_details: null,
    instructions: body['instructions'] ?? null,
    max_output_tokens: body['max_output_tokens'] ?? null,
    metadata: body['metadata'] ?? {},
    model,
    output,
    parallel_tool_calls: body['parallel_tool_calls'] ?? true,
    previous_response_id: body['previous_response_id'] ?? null,
    reasoning: {
      effort: isRecord(body['reasoning']) ? (body['reasoning']['effort'] ?? null) : null,
      summary: null,
    },
    service_tier: 'default',
    store: body['store'] ?? true,
    temperature: body['temperature'] ?? 1,
    text: body['text'] ?? { format: { type: 'text' } },
    tool_choice: body['tool_choice'] ?? 'auto',
    tools: body['tools'] ?? [],
    top_p: body['top_p'] ?? 1,
    truncation: body['truncation'] ?? 'disabled',
    usage: withUsage && reportsUsage ? responsesUsage(usage) : null,
    user: null,
  });

  if (!stream) {
    await exchange.beforeNonStreaming();
    exchange.sendJson(200, response('completed', [doneItem], true), reportsUsage ? usage : undefined);
    return;
  }

  const sse = new SseWriter(exchange);
  let sequence = 0;
  const event = (type: string, fields: Record<string, unknown>): SseEvent => ({
    event: type,
    data: { type, sequence_number: sequence++, ...fields },
  });
  const inProgress = response('in_progress', [], false);
  await sse.send(event('response.created', { response: inProgress }));
  await sse.send(event('response.in_progress', { response: inProgress }));

  if (toolName === undefined) {
    const part = { item_id: itemId, output_index: 0, content_index: 0 };
    await sse.send(
      event('response.output_item.added', {
        output_index: 0,
        item: { id: itemId, type: 'message', status: 'in_progress', content: [], role: 'assistant' },
      }),
    );
    await sse.send(event('response.content_part.added', { ...part, part: { ...outputText, text: '' } }));
    for (const delta of deltas) {
      await sse.send(event('response.output_text.delta', { ...part, delta, logprobs: [] }));
    }
    await sse.send(event('response.output_text.done', { ...part, text, logprobs: [] }));
    await sse.send(event('response.content_part.done', { ...part, part: outputText }));
  } else {
    await sse.send(
      event('response.output_item.added', {
        output_index: 0,
        item: { ...doneItem, status: 'in_progress', arguments: '' },
      }),
    );
    for (const delta of fragments) {
      await sse.send(
        event('response.function_call_arguments.delta', { item_id: itemId, output_index: 0, delta }),
      );
    }
    await sse.send(
      event('response.function_call_arguments.done', {
        item_id: itemId,
        output_index: 0,
        name: toolName,
        arguments: args,
      }),
    );
  }
  await sse.send(event('response.output_item.done', { output_index: 0, item: doneItem }));
  // The Responses API ends its stream after response.completed, with no `[DONE]`.
  await sse.finish(
    [event('response.completed', { response: response('completed', [doneItem], true) })],
    reportsUsage ? usage : undefined,
    false,
  );
}
