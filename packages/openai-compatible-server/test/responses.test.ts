import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { describe, expect, it } from 'vitest';
import { clientFor, REPLY, scenario, startServer } from './support.js';

const WEATHER_TOOL = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'The weather in a city.',
  strict: false,
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

function responsesUsage(input: number, output: number, cached = 0, reasoning = 0) {
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: cached },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: reasoning },
    total_tokens: input + output,
  };
}

describe('POST /v1/responses', () => {
  it('answers a non-streamed request with a message the client turns into output_text', async () => {
    const server = await startServer();
    const response = await clientFor(server).responses.create({
      model: 'gpt-4o-mini',
      instructions: 'Be brief.',
      input: 'Tell me a joke',
    });
    expect(response.object).toBe('response');
    expect(response.id).toMatch(/^resp_/);
    expect(response.status).toBe('completed');
    expect(response.model).toBe('gpt-4o-mini-2024-07-18');
    expect(response.instructions).toBe('Be brief.');
    expect(response.output_text).toBe(REPLY);
    expect(response.output).toEqual([
      {
        id: expect.stringMatching(/^msg_/),
        type: 'message',
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: REPLY, annotations: [], logprobs: [] }],
      },
    ]);
    // instructions (3 + 2) + input (3 + 4).
    expect(response.usage).toEqual(responsesUsage(12, 12));
    expect(server.responses).toEqual([
      expect.objectContaining({
        path: '/v1/responses',
        model: 'gpt-4o-mini-2024-07-18',
        status: 200,
        stream: false,
        usage: { input: 12, output: 12, cachedInput: 0, reasoningOutput: 0 },
      }),
    ]);
  });

  it('streams the events OpenAI sends, in order, with sequence numbers and usage on response.completed', async () => {
    const server = await startServer();
    const stream = await clientFor(server).responses.create(
      {
        model: 'gpt-4o-mini',
        input: [{ role: 'user', content: [{ type: 'input_text', text: 'Tell me a joke' }] }],
        stream: true,
      },
      scenario('chunks:3,cached:2,reasoning:4'),
    );
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);

    expect(events.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    const completed = events.at(-1);
    if (completed?.type !== 'response.completed') throw new Error('expected response.completed last');
    expect(completed.response.status).toBe('completed');
    expect(completed.response.usage).toEqual(responsesUsage(7, 7, 2, 4));
    const created = events[0];
    if (created?.type !== 'response.created') throw new Error('expected response.created first');
    expect(created.response.usage).toBeNull();
    expect(server.responses[0]).toMatchObject({
      stream: true,
      chunks: 11,
      usage: { input: 7, output: 7, cachedInput: 2, reasoningOutput: 4 },
    });
  });

  it('works with the stream() helper: text deltas and finalResponse().output_text', async () => {
    const server = await startServer();
    const runner = clientFor(server).responses.stream({ model: 'gpt-4o-mini', input: 'Tell me a joke' });
    const deltas: string[] = [];
    runner.on('response.output_text.delta', (event) => deltas.push(event.delta));
    const final = await runner.finalResponse();
    expect(final.output_text).toBe(REPLY);
    expect(deltas.join('')).toBe(REPLY);
    expect(final.usage?.total_tokens).toBe(7 + 12);
  });

  it('streams a function call, then answers in text once the input carries its output', async () => {
    const server = await startServer();
    const client = clientFor(server);
    const runner = client.responses.stream({
      model: 'gpt-4o-mini',
      input: 'Weather?',
      tools: [WEATHER_TOOL],
    });
    const types: string[] = [];
    runner.on('event', (event) => types.push(event.type));
    const final = await runner.finalResponse();
    const call = final.output[0];
    if (call?.type !== 'function_call') throw new Error('expected a function call');
    expect(call).toMatchObject({
      name: 'get_weather',
      arguments: '{"city":"test"}',
      call_id: expect.stringMatching(/^call_/),
      status: 'completed',
    });
    expect(final.output_text).toBe('');
    expect(types).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    // 15 characters of arguments: 2 fragments of at most 8, 2 output tokens.
    expect(final.usage?.output_tokens).toBe(2);

    const answer = await client.responses.create({
      model: 'gpt-4o-mini',
      input: [
        { role: 'user', content: 'Weather?' },
        { type: 'function_call', call_id: call.call_id, name: call.name, arguments: call.arguments },
        { type: 'function_call_output', call_id: call.call_id, output: 'sunny and warm' },
      ],
      tools: [WEATHER_TOOL],
    });
    expect(answer.output_text).toBe(REPLY);
    // (3 + 1) + (3 + 1) + (3 + 3).
    expect(answer.usage?.input_tokens).toBe(14);
  });
});
