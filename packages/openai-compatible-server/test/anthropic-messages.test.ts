import type Anthropic from '@anthropic-ai/sdk';
import {
  APIConnectionError,
  APIError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  OverloadedError,
  RateLimitError,
} from '@anthropic-ai/sdk';
import type { MessageParam } from '@anthropic-ai/sdk/resources/messages';
import { describe, expect, it } from 'vitest';
import { anthropicClientFor, collect, REPLY, scenario, startServer } from './support.js';

// (3 + 2) for the system prompt + (3 + 5) for the user message = 13.
const SYSTEM = 'Be terse.';
const MESSAGES: MessageParam[] = [{ role: 'user', content: 'Say hello to the test' }];
const BODY = { model: 'claude-sonnet-4-5-20250929', max_tokens: 1024, system: SYSTEM, messages: MESSAGES };

const WORDS = REPLY.split(' ');
const deltaText = (index: number) => (index === 0 ? WORDS[0] : ` ${WORDS[index]}`);

/** A message's `usage` as Anthropic sends it: `input_tokens` leaves the cache reads and writes out. */
function messageUsage(input: number, output: number, cacheRead = 0, cacheWrite = 0) {
  return {
    input_tokens: input,
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
    cache_creation: { ephemeral_5m_input_tokens: cacheWrite, ephemeral_1h_input_tokens: 0 },
    output_tokens: output,
    service_tier: 'standard',
  };
}

/** The record's usage: `input` counts every input token, the cache reads and writes included. */
function recordedUsage(input: number, output: number, cacheRead = 0, cacheWrite = 0) {
  return { input, output, cachedInput: cacheRead, reasoningOutput: 0, cacheWriteInput: cacheWrite };
}

/** Streams BODY with the directives until the iteration throws: the event types seen, and the error. */
async function streamUntilItFails(client: Anthropic, directives: string) {
  const stream = await client.messages.create({ ...BODY, stream: true }, scenario(directives));
  const seen: string[] = [];
  const error = await (async () => {
    for await (const event of stream) seen.push(event.type);
  })().catch((caught: unknown) => caught);
  return { seen, error };
}

describe('POST /v1/messages', () => {
  it('answers with a message: the model as sent, the fixed reply, end_turn and usage equal to the record', async () => {
    const server = await startServer();
    const { data: message, response } = await anthropicClientFor(server).messages.create(BODY).withResponse();

    expect(message).toEqual({
      id: expect.stringMatching(/^msg_[A-Za-z0-9]{24}$/),
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5-20250929',
      content: [{ type: 'text', text: REPLY }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: messageUsage(13, 12),
    });
    expect(response.headers.get('content-type')).toBe('application/json');
    const requestId = response.headers.get('request-id');
    expect(requestId).toMatch(/^req_[A-Za-z0-9]{24}$/);
    expect(response.headers.get('x-request-id')).toBeNull();
    expect(server.requests[0]?.path).toBe('/v1/messages');
    expect(server.responses).toEqual([
      {
        path: '/v1/messages',
        model: 'claude-sonnet-4-5-20250929',
        status: 200,
        stream: false,
        requestId,
        usage: recordedUsage(13, 12),
      },
    ]);
  });

  it('reports cache reads and writes apart from input_tokens; the record counts every input token', async () => {
    const server = await startServer();
    const message = await anthropicClientFor(server).messages.create(
      { ...BODY, model: 'claude-haiku-4-5' },
      scenario('cache-read:5,cache-write:3'),
    );
    expect(message.model).toBe('claude-haiku-4-5');
    expect(message.usage).toEqual(messageUsage(5, 12, 5, 3));
    expect(server.responses[0]?.usage).toEqual(recordedUsage(13, 12, 5, 3));
  });

  it('takes cache reads from cached:<n> too, clamps them to the input, and writes only what is left', async () => {
    const server = await startServer();
    const client = anthropicClientFor(server);
    const cached = await client.messages.create(BODY, scenario('cached:2'));
    expect(cached.usage).toEqual(messageUsage(11, 12, 2, 0));
    const clamped = await client.messages.create(BODY, scenario('cache-read:10,cache-write:10'));
    expect(clamped.usage).toEqual(messageUsage(0, 12, 10, 3));
  });

  it('stops at max_tokens with stop_reason max_tokens', async () => {
    const server = await startServer();
    const message = await anthropicClientFor(server).messages.create({ ...BODY, max_tokens: 3 });
    expect(message.content).toEqual([{ type: 'text', text: 'Hello! This is' }]);
    expect(message.stop_reason).toBe('max_tokens');
    expect(message.usage).toEqual(messageUsage(13, 3));
    const words = await anthropicClientFor(server).messages.create(BODY, scenario('chunks:2'));
    expect(words.content).toEqual([{ type: 'text', text: 'Hello! This' }]);
    expect(words.stop_reason).toBe('end_turn');
  });

  it('reads directives from a model suffix and records the model without it', async () => {
    const server = await startServer();
    const message = await anthropicClientFor(server).messages.create({
      ...BODY,
      model: 'claude-opus-4-1@cache-write:4',
    });
    expect(message.model).toBe('claude-opus-4-1');
    expect(message.usage).toEqual(messageUsage(9, 12, 0, 4));
    expect(server.responses[0]).toMatchObject({ model: 'claude-opus-4-1', scenario: 'cache-write:4' });
  });

  it('refuses a request without max_tokens or messages with an invalid_request_error', async () => {
    const server = await startServer();
    const client = anthropicClientFor(server);
    const noMaxTokens = await client.messages
      .create({ model: 'claude-haiku-4-5', messages: MESSAGES } as Anthropic.MessageCreateParamsNonStreaming)
      .catch((caught: unknown) => caught);
    expect(noMaxTokens).toBeInstanceOf(BadRequestError);
    expect((noMaxTokens as BadRequestError).error).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'max_tokens: Field required' },
      request_id: server.responses[0]?.requestId,
    });
    const noMessages = await client.messages
      .create({ model: 'claude-haiku-4-5', max_tokens: 10, messages: [] })
      .catch((caught: unknown) => caught);
    expect((noMessages as BadRequestError).apiMessage).toBe('messages: at least one message is required');
  });
});

describe('POST /v1/messages with stream: true', () => {
  it("sends Anthropic's event sequence; output_tokens in message_delta is the whole message's", async () => {
    const server = await startServer();
    const stream = await anthropicClientFor(server).messages.create(
      { ...BODY, stream: true },
      scenario('cache-read:4,cache-write:2'),
    );
    const events = await collect(stream);
    const id = (events[0] as Anthropic.RawMessageStartEvent).message.id;
    expect(id).toMatch(/^msg_[A-Za-z0-9]{24}$/);
    // The client drops `ping`; the raw stream below has it.
    expect(events).toEqual([
      {
        type: 'message_start',
        message: {
          id,
          type: 'message',
          role: 'assistant',
          model: 'claude-sonnet-4-5-20250929',
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: messageUsage(7, 1, 4, 2),
        },
      },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      ...WORDS.map((_, index) => ({
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'text_delta', text: deltaText(index) },
      })),
      { type: 'content_block_stop', index: 0 },
      {
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: {
          input_tokens: 7,
          cache_creation_input_tokens: 2,
          cache_read_input_tokens: 4,
          output_tokens: 12,
        },
      },
      { type: 'message_stop' },
    ]);
    expect(server.responses).toEqual([
      {
        path: '/v1/messages',
        model: 'claude-sonnet-4-5-20250929',
        status: 200,
        stream: true,
        requestId: expect.stringMatching(/^req_/),
        usage: recordedUsage(13, 12, 4, 2),
        // message_start, content_block_start, ping, 12 deltas, content_block_stop, message_delta, message_stop
        chunks: 18,
        scenario: 'cache-read:4,cache-write:2',
      },
    ]);
  });

  it('writes each event with its event: line, ping after content_block_start', async () => {
    const server = await startServer();
    const response = await fetch(`${server.anthropicBaseURL}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ ...BODY, stream: true, max_tokens: 2 }),
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('request-id')).toBe(server.responses[0]?.requestId ?? null);
    const blocks = (await response.text()).split('\n\n').filter((block) => block !== '');
    expect(blocks.map((block) => block.split('\n')[0])).toEqual([
      'event: message_start',
      'event: content_block_start',
      'event: ping',
      'event: content_block_delta',
      'event: content_block_delta',
      'event: content_block_stop',
      'event: message_delta',
      'event: message_stop',
    ]);
    expect(blocks[2]).toBe('event: ping\ndata: {"type":"ping"}');
    expect(blocks[6]).toBe(
      'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},' +
        '"usage":{"input_tokens":13,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":2}}',
    );
  });

  it('works with messages.stream(): text events, and finalMessage() with the cumulative output count', async () => {
    const server = await startServer();
    const stream = anthropicClientFor(server).messages.stream(BODY, scenario('cache-read:3'));
    const texts: string[] = [];
    const types: string[] = [];
    stream.on('text', (text) => texts.push(text));
    stream.on('streamEvent', (event) => types.push(event.type));
    const message = await stream.finalMessage();
    expect(texts).toEqual(WORDS.map((_, index) => deltaText(index)));
    expect(types).toEqual([
      'message_start',
      'content_block_start',
      ...WORDS.map(() => 'content_block_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(message.content).toEqual([{ type: 'text', text: REPLY }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage).toEqual(messageUsage(10, 12, 3, 0));
    expect(await stream.finalText()).toBe(REPLY);
    expect(server.responses[0]?.usage).toEqual(recordedUsage(13, 12, 3, 0));
  });

  it('slow-first-chunk sends the headers at once and message_start after the delay', async () => {
    const server = await startServer();
    const started = performance.now();
    const { data: stream } = await anthropicClientFor(server)
      .messages.create({ ...BODY, stream: true }, scenario('slow-first-chunk:300'))
      .withResponse();
    const headersAfter = performance.now() - started;
    let firstEventAfter: number | undefined;
    for await (const _ of stream) firstEventAfter ??= performance.now() - started;
    expect(headersAfter).toBeLessThan(250);
    expect(firstEventAfter).toBeGreaterThanOrEqual(290);
  });

  it('cut-after destroys the connection mid-stream: the iteration and finalMessage() fail with APIConnectionError', async () => {
    const server = await startServer();
    const client = anthropicClientFor(server);
    const { seen, error } = await streamUntilItFails(client, 'cut-after:4');
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(seen).toEqual(['message_start', 'content_block_start', 'content_block_delta']);
    expect(server.responses[0]).toEqual(
      expect.objectContaining({ status: 200, stream: true, chunks: 4, cut: true, scenario: 'cut-after:4' }),
    );
    expect(server.responses[0]?.usage).toBeUndefined();

    const helper = client.messages.stream(BODY, scenario('cut-after:2'));
    await expect(helper.finalMessage()).rejects.toBeInstanceOf(APIConnectionError);
  });
});

describe('overloaded-after: an error event mid-stream', () => {
  it('ends the stream with an overloaded_error event: the client throws an APIError without status', async () => {
    const server = await startServer();
    const client = anthropicClientFor(server);
    const { seen, error } = await streamUntilItFails(client, 'overloaded-after:4');
    // message_start, content_block_start, ping (the client drops it), the first delta, then the error.
    expect(seen).toEqual(['message_start', 'content_block_start', 'content_block_delta']);
    expect(error).toBeInstanceOf(APIError);
    expect(error).not.toBeInstanceOf(InternalServerError);
    const apiError = error as APIError;
    expect(apiError.status).toBeUndefined();
    expect(apiError.type).toBe('overloaded_error');
    expect(apiError.error).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
    expect(server.responses).toEqual([
      {
        path: '/v1/messages',
        model: 'claude-sonnet-4-5-20250929',
        status: 200,
        stream: true,
        requestId: expect.stringMatching(/^req_/),
        chunks: 5,
        scenario: 'overloaded-after:4',
      },
    ]);

    const helper = client.messages.stream(BODY, scenario('overloaded-after:1'));
    const helperError = await helper.finalMessage().catch((caught: unknown) => caught);
    expect((helperError as APIError).type).toBe('overloaded_error');
  });
});

describe('POST /v1/messages/count_tokens', () => {
  it('counts every input token of the request, and is recorded without usage', async () => {
    const server = await startServer();
    const count = await anthropicClientFor(server).messages.countTokens({
      model: 'claude-sonnet-4-5',
      system: SYSTEM,
      messages: MESSAGES,
    });
    expect(count).toEqual({ input_tokens: 13 });
    expect(server.responses).toEqual([
      {
        path: '/v1/messages/count_tokens',
        model: 'claude-sonnet-4-5',
        status: 200,
        stream: false,
        requestId: expect.stringMatching(/^req_/),
      },
    ]);
  });
});

describe('Anthropic errors', () => {
  it.each([
    { status: 400, type: 'invalid_request_error', errorClass: BadRequestError },
    { status: 401, type: 'authentication_error', errorClass: AuthenticationError },
    { status: 429, type: 'rate_limit_error', errorClass: RateLimitError },
    { status: 500, type: 'api_error', errorClass: InternalServerError },
    { status: 529, type: 'overloaded_error', errorClass: OverloadedError },
  ])(
    'error:$status is a $errorClass.name with type $type in the body Anthropic sends',
    async ({ status, type, errorClass }) => {
      const server = await startServer();
      const error = await anthropicClientFor(server)
        .messages.create(BODY, scenario(`error:${status}`))
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(errorClass);
      const apiError = error as APIError;
      expect(apiError.status).toBe(status);
      expect(apiError.type).toBe(type);
      const requestId = server.responses[0]?.requestId;
      expect(apiError.requestID).toBe(requestId);
      expect(apiError.error).toEqual({
        type: 'error',
        error: { type, message: expect.any(String) },
        request_id: requestId,
      });
      expect(server.responses).toEqual([
        {
          path: '/v1/messages',
          model: 'claude-sonnet-4-5-20250929',
          status,
          stream: false,
          requestId,
          scenario: `error:${status}`,
        },
      ]);
    },
  );

  it('answers 429 and 529 with retry-after, and 529 is an InternalServerError too', async () => {
    const server = await startServer();
    const client = anthropicClientFor(server);
    const rateLimit = (await client.messages
      .create(BODY, scenario('error:429'))
      .catch((caught: unknown) => caught)) as RateLimitError;
    expect(rateLimit.headers.get('retry-after')).toBe('0');
    const overloaded = await client.messages
      .create({ ...BODY, stream: true }, scenario('error:529'))
      .catch((caught: unknown) => caught);
    expect(overloaded).toBeInstanceOf(InternalServerError);
    expect((overloaded as OverloadedError).headers.get('retry-after')).toBe('0');
    expect(server.responses[1]).toMatchObject({ status: 529, stream: false });
  });

  it('retries fail-times errors as Anthropic errors, then answers: the client with maxRetries: 2 succeeds', async () => {
    const server = await startServer();
    const message = await anthropicClientFor(server, { maxRetries: 2 }).messages.create(
      BODY,
      scenario('error:529,fail-times:2', 'anthropic-retry'),
    );
    expect(message.content).toEqual([{ type: 'text', text: REPLY }]);
    expect(server.responses.map((response) => response.status)).toEqual([529, 529, 200]);
    expect(server.requests.map((request) => request.headers['x-stainless-retry-count'])).toEqual([
      '0',
      '1',
      '2',
    ]);
  });

  it('cut-after:0 on a non-streamed request is an APIConnectionError', async () => {
    const server = await startServer();
    const error = await anthropicClientFor(server)
      .messages.create(BODY, scenario('cut-after:0'))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(server.responses[0]).toMatchObject({ status: 0, cut: true });
  });

  it('answers an unknown path under /v1/messages with not_found_error; OpenAI paths keep their errors', async () => {
    const server = await startServer();
    const anthropic = await fetch(`${server.url}/v1/messages/batches`, { method: 'POST', body: '{}' });
    expect(anthropic.status).toBe(404);
    expect(await anthropic.json()).toEqual({
      type: 'error',
      error: { type: 'not_found_error', message: 'Invalid URL (POST /v1/messages/batches)' },
      request_id: anthropic.headers.get('request-id'),
    });
    const openai = await fetch(`${server.url}/v1/nothing`, { method: 'POST', body: '{}' });
    expect(((await openai.json()) as { error: { code: string } }).error.code).toBe('unknown_url');
  });
});
