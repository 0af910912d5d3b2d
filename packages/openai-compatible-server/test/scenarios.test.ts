import { until } from '@va/test-metrics';
import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  BadRequestError,
  InternalServerError,
  RateLimitError,
} from 'openai';
import { describe, expect, it } from 'vitest';
import { clientFor, REPLY, scenario, startServer } from './support.js';

const BODY = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Hi' }] };

/** When `promise` settles, or 'pending' after `ms`. */
async function settledWithin<T>(promise: Promise<T>, ms: number): Promise<T | 'pending'> {
  let timer: NodeJS.Timeout | undefined;
  const pending = new Promise<'pending'>((resolve) => {
    timer = setTimeout(() => resolve('pending'), ms);
  });
  try {
    return await Promise.race([promise, pending]);
  } finally {
    clearTimeout(timer);
  }
}

describe('error directives', () => {
  it('answers error:429 with an OpenAI-shaped body and fast retry headers', async () => {
    const server = await startServer();
    const error = await clientFor(server)
      .chat.completions.create(BODY, scenario('error:429'))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    const rateLimit = error as RateLimitError;
    expect(rateLimit.status).toBe(429);
    expect(rateLimit.error).toEqual({
      message: expect.any(String),
      type: 'rate_limit_exceeded',
      param: null,
      code: 'rate_limit_exceeded',
    });
    expect(rateLimit.code).toBe('rate_limit_exceeded');
    expect(rateLimit.type).toBe('rate_limit_exceeded');
    expect(rateLimit.headers.get('retry-after-ms')).toBe('10');
    expect(rateLimit.headers.get('retry-after')).toBe('0');
    expect(rateLimit.requestID).toBe(server.responses[0]?.requestId);
    expect(server.responses).toEqual([
      {
        path: '/v1/chat/completions',
        model: 'gpt-4o-mini',
        status: 429,
        stream: false,
        requestId: rateLimit.requestID,
        scenario: 'error:429',
      },
    ]);
  });

  it.each([
    [500, InternalServerError, 'server_error', 'server_error'],
    [400, BadRequestError, 'invalid_request_error', 'invalid_request_error'],
    [401, OpenAI.AuthenticationError, 'invalid_request_error', 'invalid_api_key'],
  ])(
    'answers error:%i with the matching client error, type and code',
    async (status, errorClass, type, code) => {
      const server = await startServer();
      const error = await clientFor(server)
        .chat.completions.create({ ...BODY, stream: true }, scenario(`error:${status}`))
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(errorClass);
      expect(error).toMatchObject({ status, type, code, param: null });
      expect(server.responses[0]).toMatchObject({ status, stream: false });
    },
  );

  it('fails only the first fail-times requests of a key, so a client with maxRetries: 2 succeeds on the third', async () => {
    const server = await startServer();
    const client = clientFor(server, { maxRetries: 2 });
    const completion = await client.chat.completions.create(
      BODY,
      scenario('error:429,fail-times:2', 'retry-test'),
    );
    expect(completion.choices[0]?.message.content).toBe(REPLY);
    expect(server.requests).toHaveLength(3);
    expect(server.responses.map((response) => response.status)).toEqual([429, 429, 200]);
    // The client numbers its attempts in a header.
    expect(server.requests.map((request) => request.headers['x-stainless-retry-count'])).toEqual([
      '0',
      '1',
      '2',
    ]);

    // The key's counter is spent: the same scenario now succeeds at once, another key fails again.
    await client.chat.completions.create(BODY, scenario('error:429,fail-times:2', 'retry-test'));
    expect(server.responses.at(-1)?.status).toBe(200);
    const other = await clientFor(server)
      .chat.completions.create(BODY, scenario('error:429,fail-times:2', 'other-key'))
      .catch((caught: unknown) => caught);
    expect(other).toBeInstanceOf(RateLimitError);

    // reset() clears the counters along with the records.
    server.reset();
    expect(server.requests).toEqual([]);
    expect(server.responses).toEqual([]);
    await expect(
      clientFor(server).chat.completions.create(BODY, scenario('error:429,fail-times:2', 'retry-test')),
    ).rejects.toBeInstanceOf(RateLimitError);
  });

  it('counts fail-times by the scenario string when no key is given, and fails with 500 without error:', async () => {
    const server = await startServer();
    const client = clientFor(server, { maxRetries: 1 });
    const completion = await client.chat.completions.create(BODY, scenario('fail-times:1'));
    expect(completion.choices[0]?.message.content).toBe(REPLY);
    expect(server.responses.map((response) => response.status)).toEqual([500, 200]);
  });
});

describe('model suffix directives', () => {
  it('reads directives after @ in the model name and strips them before echoing the model', async () => {
    const server = await startServer();
    const client = clientFor(server);
    const completion = await client.chat.completions.create({
      ...BODY,
      model: 'gpt-4o-mini@chunks:2,cached:1',
    });
    expect(completion.model).toBe('gpt-4o-mini-2024-07-18');
    expect(completion.choices[0]?.message.content).toBe('Hello! This');
    expect(completion.usage?.prompt_tokens_details?.cached_tokens).toBe(1);
    expect(server.requests[0]?.scenario).toBe('chunks:2,cached:1');
    expect(server.requests[0]?.body).toMatchObject({ model: 'gpt-4o-mini@chunks:2,cached:1' });
    expect(server.responses[0]).toMatchObject({
      model: 'gpt-4o-mini-2024-07-18',
      scenario: 'chunks:2,cached:1',
    });

    await expect(
      client.embeddings.create({ model: 'text-embedding-3-small@error:400', input: 'x' }),
    ).rejects.toBeInstanceOf(BadRequestError);
    expect(server.responses[1]).toMatchObject({ model: 'text-embedding-3-small', status: 400 });
  });

  it('joins header and suffix directives, header first', async () => {
    const server = await startServer();
    await clientFor(server).chat.completions.create(
      { ...BODY, model: 'gpt-4o-mini@chunks:1' },
      scenario('chunks:4'),
    );
    expect(server.requests[0]?.scenario).toBe('chunks:4,chunks:1');
    expect(server.responses[0]?.usage?.output).toBe(1);
  });

  it('answers an unknown directive with 400, naming it', async () => {
    const server = await startServer();
    const error = await clientFor(server)
      .chat.completions.create(BODY, scenario('eror:500'))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).message).toContain("Unknown scenario directive 'eror'");
  });
});

describe('connection directives', () => {
  it('cut-after destroys the connection mid-stream: the iteration throws, with no [DONE] and no usage', async () => {
    const server = await startServer();
    const stream = await clientFor(server).chat.completions.create(
      { ...BODY, stream: true, stream_options: { include_usage: true } },
      scenario('cut-after:3'),
    );
    const received: unknown[] = [];
    const error = await (async () => {
      for await (const chunk of stream) received.push(chunk);
    })().catch((caught: unknown) => caught);
    // undici's error, not an OpenAI APIError: the response had already begun.
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('terminated');
    expect(received).toHaveLength(3);
    expect(server.responses).toEqual([
      expect.objectContaining({ status: 200, stream: true, chunks: 3, cut: true, scenario: 'cut-after:3' }),
    ]);
    expect(server.responses[0]).not.toHaveProperty('usage');
  });

  it('cut-after on a non-streamed request destroys the socket before answering: a connection error', async () => {
    const server = await startServer();
    await expect(
      clientFor(server).chat.completions.create(BODY, scenario('cut-after:0')),
    ).rejects.toBeInstanceOf(APIConnectionError);
    expect(server.responses[0]).toMatchObject({ status: 0, cut: true });
  });

  it('hang never answers: an AbortController aborts the request, and nothing is recorded as a response', async () => {
    const server = await startServer();
    const controller = new AbortController();
    const pending = clientFor(server).chat.completions.create(BODY, {
      ...scenario('hang'),
      signal: controller.signal,
    });
    await until(() => server.requests.length === 1);
    expect(await settledWithin(pending, 100)).toBe('pending');
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(APIUserAbortError);
    expect(server.responses).toEqual([]);
  });

  it('hang lets the client time out', async () => {
    const server = await startServer();
    await expect(
      clientFor(server, { timeout: 100 }).chat.completions.create(BODY, scenario('hang')),
    ).rejects.toBeInstanceOf(APIConnectionTimeoutError);
  });

  it('close() ends hung requests and resolves', async () => {
    const server = await startServer();
    const pending = clientFor(server)
      .chat.completions.create({ ...BODY, stream: true }, scenario('hang'))
      .catch((caught: unknown) => caught);
    await until(() => server.requests.length === 1);
    await server.close();
    expect(await pending).toBeInstanceOf(APIConnectionError);
  });
});

describe('delays', () => {
  it('slow-first-chunk sends the headers at once and the first chunk after the delay', async () => {
    const server = await startServer();
    const started = performance.now();
    const { data: stream } = await clientFor(server)
      .chat.completions.create({ ...BODY, stream: true }, scenario('slow-first-chunk:300'))
      .withResponse();
    const headersAfter = performance.now() - started;
    let firstChunkAfter: number | undefined;
    for await (const _ of stream) firstChunkAfter ??= performance.now() - started;
    expect(headersAfter).toBeLessThan(250);
    expect(firstChunkAfter).toBeGreaterThanOrEqual(290);
  });

  it('slow-first-chunk delays a non-streamed response; chunk-delay spaces the chunks', async () => {
    const server = await startServer();
    const client = clientFor(server);
    let started = performance.now();
    await client.chat.completions.create(BODY, scenario('slow-first-chunk:150'));
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);

    started = performance.now();
    const stream = await client.chat.completions.create(
      { ...BODY, stream: true },
      scenario('chunks:2,chunk-delay:60'),
    );
    let chunks = 0;
    for await (const _ of stream) chunks += 1;
    // role, 2 words, finish: 3 gaps of 60 ms.
    expect(chunks).toBe(4);
    expect(performance.now() - started).toBeGreaterThanOrEqual(170);
  });

  it('applies the latency profile to requests without directives, and random 429s by probability', async () => {
    const server = await startServer({
      latency: { firstChunkMs: [80, 80], perChunkMs: [0, 0], nonStreamingMs: [120, 120] },
      rateLimitProbability: 0.5,
      random: (() => {
        // 429 on the first draw for rate limiting, then no more.
        const draws = [0.1, 0.9];
        return () => draws.shift() ?? 0.9;
      })(),
    });
    const client = clientFor(server, { maxRetries: 1 });
    const started = performance.now();
    await client.chat.completions.create(BODY);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    expect(server.responses.map((response) => response.status)).toEqual([429, 200]);

    // A directive makes the request deterministic: no profile delay, no random 429.
    const quick = performance.now();
    await client.chat.completions.create(BODY, scenario('chunks:1'));
    expect(performance.now() - quick).toBeLessThan(100);
  });

  it('jitters the default seeded PRNG the same way for the same seed', async () => {
    const latency = { firstChunkMs: [0, 0], perChunkMs: [0, 0], nonStreamingMs: [0, 0] } as const;
    const statuses = async (seed: number) => {
      const server = await startServer({ latency, seed, rateLimitProbability: 0.5 });
      const client = clientFor(server);
      for (let index = 0; index < 8; index += 1)
        await client.chat.completions.create(BODY).catch(() => undefined);
      return server.responses.map((response) => response.status);
    };
    const first = await statuses(7);
    expect(await statuses(7)).toEqual(first);
    expect(first).toContain(429);
    expect(first).toContain(200);
  });
});

describe('the server', () => {
  it('answers unknown paths with a 404 OpenAI error and records them', async () => {
    const server = await startServer();
    const response = await fetch(`${server.baseURL}/nothing/here`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: {
        message: 'Invalid URL (POST /v1/nothing/here)',
        type: 'invalid_request_error',
        param: null,
        code: 'unknown_url',
      },
    });
    expect(server.requests[0]).toMatchObject({ method: 'POST', path: '/v1/nothing/here', body: {} });
    expect(server.responses[0]).toMatchObject({ path: '/v1/nothing/here', status: 404 });
  });

  it('answers a body that is not JSON, or a missing model, with 400', async () => {
    const server = await startServer();
    const notJson = await fetch(`${server.baseURL}/chat/completions`, { method: 'POST', body: 'hello' });
    expect(notJson.status).toBe(400);
    await expect(clientFor(server).chat.completions.create({ ...BODY, model: '' })).rejects.toMatchObject({
      status: 400,
      param: 'model',
    });
  });

  it('listens on a free port of 127.0.0.1 and closes idempotently', async () => {
    const server = await startServer();
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.baseURL).toBe(`${server.url}/v1`);
    expect(server.port).toBeGreaterThan(0);
    await Promise.all([server.close(), server.close()]);
    await expect(fetch(`${server.url}/v1/models`)).rejects.toThrow();
  });
});
