import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { describe, expect, it } from 'vitest';
import { clientFor, collect, REPLY, scenario, startServer } from './support.js';

// 3 per message + words: (3 + 3) + (3 + 5) = 14.
const MESSAGES: ChatCompletionMessageParam[] = [
  { role: 'system', content: 'You are terse.' },
  { role: 'user', content: 'Say hello to the test' },
];

const WEATHER_TOOL = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'The weather in a city.',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' }, days: { type: 'integer' } },
      required: ['city', 'days'],
    },
  },
};

function chatUsage(prompt: number, completion: number, cached = 0, reasoning = 0) {
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cached, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: reasoning,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

describe('POST /v1/chat/completions', () => {
  it('answers a non-streamed request with a dated model, the fixed reply and usage equal to the record', async () => {
    const server = await startServer();
    const client = clientFor(server);
    const {
      data: completion,
      response,
      request_id,
    } = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES }).withResponse();

    expect(completion.object).toBe('chat.completion');
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.model).toBe('gpt-4o-mini-2024-07-18');
    expect(completion.choices).toEqual([
      {
        index: 0,
        message: { role: 'assistant', content: REPLY, refusal: null, annotations: [] },
        logprobs: null,
        finish_reason: 'stop',
      },
    ]);
    expect(completion.usage).toEqual(chatUsage(14, 12));
    expect(completion.system_fingerprint).toMatch(/^fp_/);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('openai-processing-ms')).toMatch(/^\d+$/);
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toMatch(/^req_[0-9a-f]{32}$/);
    expect(request_id).toBe(requestId);

    expect(server.responses).toEqual([
      {
        path: '/v1/chat/completions',
        model: 'gpt-4o-mini-2024-07-18',
        status: 200,
        stream: false,
        requestId,
        usage: { input: 14, output: 12, cachedInput: 0, reasoningOutput: 0 },
      },
    ]);
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      body: { model: 'gpt-4o-mini', messages: MESSAGES },
    });
    expect(request?.headers['authorization']).toBe('Bearer test');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.scenario).toBeUndefined();
  });

  it('keeps a dated model as it is and takes the reply length from max_completion_tokens', async () => {
    const server = await startServer();
    const completion = await clientFor(server).chat.completions.create({
      model: 'gpt-4o-2024-08-06',
      messages: MESSAGES,
      max_completion_tokens: 3,
    });
    expect(completion.model).toBe('gpt-4o-2024-08-06');
    expect(completion.choices[0]?.message.content).toBe('Hello! This is');
    expect(completion.usage?.completion_tokens).toBe(3);
  });

  it('reports cached and reasoning tokens from the scenario, reasoning counted inside completion tokens', async () => {
    const server = await startServer();
    const client = clientFor(server);
    const completion = await client.chat.completions.create(
      { model: 'o4-mini', messages: MESSAGES, max_tokens: 2 },
      scenario('cached:4,reasoning:5'),
    );
    expect(completion.usage).toEqual(chatUsage(14, 7, 4, 5));
    expect(completion.choices[0]?.message.content).toBe('Hello! This');

    // More cached tokens than input tokens is clamped.
    const clamped = await client.chat.completions.create(
      { model: 'o4-mini', messages: MESSAGES },
      scenario('cached:1000'),
    );
    expect(clamped.usage?.prompt_tokens_details?.cached_tokens).toBe(14);
    expect(server.responses.map((response) => [response.usage, response.scenario])).toEqual([
      [{ input: 14, output: 7, cachedInput: 4, reasoningOutput: 5 }, 'cached:4,reasoning:5'],
      [{ input: 14, output: 12, cachedInput: 14, reasoningOutput: 0 }, 'cached:1000'],
    ]);
  });

  it('streams with include_usage: usage null on every chunk, then one extra chunk with no choices and the usage', async () => {
    const server = await startServer();
    const stream = await clientFor(server).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: MESSAGES,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = await collect(stream);

    // role chunk + 12 words + finish chunk + usage chunk.
    expect(chunks).toHaveLength(15);
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '', refusal: null });
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(REPLY);
    expect(chunks.slice(1, 13).every((chunk) => chunk.choices[0]?.delta.content !== undefined)).toBe(true);
    expect(chunks[13]?.choices).toEqual([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]);
    for (const chunk of chunks.slice(0, 14)) expect(chunk.usage).toBeNull();
    const last = chunks[14];
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toEqual(chatUsage(14, 12));
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks.every((chunk) => chunk.model === 'gpt-4o-mini-2024-07-18')).toBe(true);

    expect(server.responses).toEqual([
      expect.objectContaining({
        status: 200,
        stream: true,
        chunks: 15,
        usage: { input: 14, output: 12, cachedInput: 0, reasoningOutput: 0 },
      }),
    ]);
  });

  it('streams without include_usage: no chunk has a usage key, and the record has no usage', async () => {
    const server = await startServer();
    const stream = await clientFor(server).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: MESSAGES,
      stream: true,
    });
    const chunks = await collect(stream);
    expect(chunks).toHaveLength(14);
    expect(chunks.some((chunk) => 'usage' in chunk)).toBe(false);
    expect(server.responses[0]?.chunks).toBe(14);
    expect(server.responses[0]).not.toHaveProperty('usage');
  });

  it('streams the number of words chunks:<n> asks for, and no usage at all with no-usage', async () => {
    const server = await startServer();
    const stream = await clientFor(server).chat.completions.create(
      { model: 'gpt-4o-mini', messages: MESSAGES, stream: true, stream_options: { include_usage: true } },
      scenario('chunks:5,no-usage'),
    );
    const chunks = await collect(stream);
    expect(chunks).toHaveLength(7);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(
      'Hello! This is a deterministic',
    );
    expect(chunks.some((chunk) => 'usage' in chunk)).toBe(false);
    expect(server.responses[0]).toMatchObject({ chunks: 7, scenario: 'chunks:5,no-usage' });
    expect(server.responses[0]).not.toHaveProperty('usage');
  });

  it('answers with a tool call that the stream() helper assembles, then with text after the tool result', async () => {
    const server = await startServer();
    const client = clientFor(server);
    const runner = client.chat.completions.stream({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [WEATHER_TOOL],
      stream_options: { include_usage: true },
    });
    const completion = await runner.finalChatCompletion();
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBeNull();
    const call = choice?.message.tool_calls?.[0];
    if (call?.type !== 'function') throw new Error('expected a function tool call');
    expect(call.id).toMatch(/^call_/);
    expect(call.function.name).toBe('get_weather');
    expect(call.function.arguments).toBe('{"city":"test","days":1}');
    // 24 characters of arguments in fragments of 8: 3 output tokens; input 3 + 3 words.
    expect(completion.usage).toEqual(chatUsage(6, 3));
    // role + 3 fragments + finish + usage.
    expect(server.responses[0]?.chunks).toBe(6);

    const answer = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: null, tool_calls: [call] },
        { role: 'tool', tool_call_id: call.id, content: '{"celsius": 21}' },
      ],
      tools: [WEATHER_TOOL],
    });
    expect(answer.choices[0]?.finish_reason).toBe('stop');
    expect(answer.choices[0]?.message.content).toBe(REPLY);
    expect(answer.choices[0]?.message.tool_calls).toBeUndefined();
    // (3 + 3) + (3 + 0) + (3 + 2).
    expect(answer.usage?.prompt_tokens).toBe(14);
  });

  it('answers a non-streamed tool request with the call in message.tool_calls, and text when tool_choice is none', async () => {
    const server = await startServer();
    const client = clientFor(server);
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Weather?' }],
      tools: [WEATHER_TOOL],
    });
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(completion.choices[0]?.message).toMatchObject({
      role: 'assistant',
      content: null,
      tool_calls: [
        {
          id: expect.stringMatching(/^call_/),
          type: 'function',
          function: { name: 'get_weather', arguments: '{"city":"test","days":1}' },
        },
      ],
    });

    const text = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Weather?' }],
      tools: [WEATHER_TOOL],
      tool_choice: 'none',
    });
    expect(text.choices[0]?.message.content).toBe(REPLY);
  });

  it('gives the stream() helper the text content and the final usage', async () => {
    const server = await startServer();
    const runner = clientFor(server).chat.completions.stream({
      model: 'gpt-4o-mini',
      messages: MESSAGES,
      stream_options: { include_usage: true },
    });
    const deltas: string[] = [];
    runner.on('content', (delta) => deltas.push(delta));
    expect(await runner.finalContent()).toBe(REPLY);
    expect(deltas).toHaveLength(12);
    expect((await runner.finalChatCompletion()).usage?.total_tokens).toBe(26);
  });
});
