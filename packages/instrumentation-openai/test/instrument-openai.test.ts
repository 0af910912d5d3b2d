import { startOpenAICompatibleServer } from '@va/openai-compatible-server';
import { describe, expect, it } from 'vitest';
import { instrumentOpenAI } from '../src/index.js';
import { byTokenType, type Point, totalCount } from './support/metrics.js';
import { type AnyOpenAI, loadOpenAI, OPENAI_MAJORS } from './support/openai-majors.js';
import { useTestbed } from './support/testbed.js';

const DURATION = 'gen_ai.client.operation.duration';
const TOKENS = 'gen_ai.client.token.usage';
const TTFC = 'gen_ai.client.operation.time_to_first_chunk';
const TPOC = 'gen_ai.client.operation.time_per_output_chunk';
const COST = 'gen_ai.client.cost';

const MESSAGES = [{ role: 'user' as const, content: 'Say hello to the caller please' }];

/** Chunks without the fields that differ between two runs (ids, timestamps). */
function shapeOf(chunk: Record<string, unknown>): unknown {
  const { id: _id, created: _created, ...rest } = chunk;
  return rest;
}

async function drain(stream: AsyncIterable<unknown>): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const item of stream) items.push(item as Record<string, unknown>);
  return items;
}

describe.each(OPENAI_MAJORS)('openai %i through instrumentOpenAI', (major) => {
  const testbed = useTestbed(major);
  const client = (options: Record<string, unknown> = {}): AnyOpenAI =>
    instrumentOpenAI(testbed.plainClient(options), { meterProvider: testbed.metrics.meterProvider });
  const base = (operation = 'chat', requestModel = 'gpt-4o-mini') => ({
    'gen_ai.operation.name': operation,
    'gen_ai.provider.name': '127.0.0.1',
    'gen_ai.request.model': requestModel,
    'server.address': '127.0.0.1',
    'server.port': testbed.server.port,
  });
  const answered = (operation = 'chat', requestModel = 'gpt-4o-mini') => ({
    ...base(operation, requestModel),
    'gen_ai.response.model': `${requestModel}-2024-07-18`,
  });
  const durations = () => testbed.metrics.points(DURATION);

  it('keeps the client an instance of OpenAI and returns the SDK APIPromise itself', async () => {
    const instrumented = client();
    expect(instrumented).toBeInstanceOf(testbed.openai.OpenAI);
    const promise = instrumented.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES });
    expect(promise).toBeInstanceOf(testbed.openai.APIPromise);
    expect(typeof promise.withResponse).toBe('function');
    await promise;
    expect(instrumented.chat.completions.create).toBe(instrumented.chat.completions.create);
    expect(instrumentOpenAI(instrumented)).toBe(instrumented);
  });

  it('records a non-streamed chat call: duration, tokens as reported, cost from the price table', async () => {
    const completion = await client().chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES });
    const reported = testbed.server.responses[0]!.usage!;
    expect(completion.usage.prompt_tokens).toBe(reported.input);

    const [duration] = await durations();
    expect(await durations()).toHaveLength(1);
    expect(duration!.attributes).toEqual(answered());
    expect(duration!.count).toBe(1);

    const tokens = await testbed.metrics.points(TOKENS);
    expect(tokens.map((point) => point.attributes)).toEqual([
      { ...answered(), 'gen_ai.token.type': 'input' },
      { ...answered(), 'gen_ai.token.type': 'output' },
    ]);
    expect(byTokenType(tokens)).toEqual({
      input: { count: 1, sum: reported.input },
      output: { count: 1, sum: reported.output },
    });
    expect(await testbed.metrics.points(TTFC)).toEqual([]);

    const cost = await testbed.metrics.points(COST);
    const costAttributes = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': '127.0.0.1',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
    };
    expect(cost).toEqual([
      {
        attributes: { ...costAttributes, 'gen_ai.token.type': 'input' },
        value: (reported.input * 0.15) / 1e6,
      },
      {
        attributes: { ...costAttributes, 'gen_ai.token.type': 'output' },
        value: (reported.output * 0.6) / 1e6,
      },
    ]);
  });

  it('reports cached input and reasoning output tokens as their own counters, priced at the cached rate', async () => {
    await client().chat.completions.create(
      { model: 'gpt-4o-mini', messages: MESSAGES },
      { headers: { 'x-test-scenario': 'cached:5,reasoning:7' } },
    );
    const reported = testbed.server.responses[0]!.usage!;
    expect(reported.cachedInput).toBe(5);
    expect(reported.reasoningOutput).toBe(7);
    expect(await testbed.metrics.points('gen_ai.client.inference.usage.cache_read.input_tokens')).toEqual([
      { attributes: answered(), value: 5 },
    ]);
    expect(await testbed.metrics.points('gen_ai.client.inference.usage.reasoning.output_tokens')).toEqual([
      { attributes: answered(), value: 7 },
    ]);
    const cost = await testbed.metrics.points(COST);
    expect(cost[0]!.value).toBeCloseTo(((reported.input - 5) * 0.15 + 5 * 0.075) / 1e6, 15);
  });

  it("streams chat with usage requested on the caller's behalf, and hides that usage chunk from the caller", async () => {
    const params = { model: 'gpt-4o-mini', messages: MESSAGES, stream: true as const };
    const reference = await drain(await testbed.plainClient().chat.completions.create(params));
    testbed.server.reset();

    const stream = await client().chat.completions.create(params);
    const seen = await drain(stream);
    expect(seen.map(shapeOf)).toEqual(reference.map(shapeOf));
    expect(seen.every((chunk) => !('usage' in chunk))).toBe(true);
    expect(params).toEqual({ model: 'gpt-4o-mini', messages: MESSAGES, stream: true });

    const request = testbed.server.requests[0]!.body as Record<string, unknown>;
    expect(request.stream_options).toEqual({ include_usage: true });
    const reported = testbed.server.responses[0]!.usage!;
    expect(byTokenType(await testbed.metrics.points(TOKENS))).toEqual({
      input: { count: 1, sum: reported.input },
      output: { count: 1, sum: reported.output },
    });
    const [ttfc] = await testbed.metrics.points(TTFC);
    expect(ttfc!.attributes).toEqual(answered());
    expect(ttfc!.count).toBe(1);
    expect(totalCount(await testbed.metrics.points(TPOC))).toBe(seen.length - 1);
    expect((await durations()).map((point) => [point.attributes, point.count])).toEqual([[answered(), 1]]);
  });

  it("leaves a caller's own include_usage alone: the caller sees the usage chunk", async () => {
    const stream = await client().chat.completions.create({
      model: 'gpt-4o-mini',
      messages: MESSAGES,
      stream: true,
      stream_options: { include_usage: true },
    });
    const seen = await drain(stream);
    const last = seen.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ prompt_tokens: testbed.server.responses[0]!.usage!.input });
    expect(byTokenType(await testbed.metrics.points(TOKENS)).output!.sum).toBe(
      testbed.server.responses[0]!.usage!.output,
    );
  });

  it('records no tokens for a stream without usage when asked not to request it', async () => {
    const instrumented = instrumentOpenAI(testbed.plainClient(), {
      meterProvider: testbed.metrics.meterProvider,
      requestStreamUsage: false,
    });
    await drain(
      await instrumented.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES, stream: true }),
    );
    expect((testbed.server.requests[0]!.body as Record<string, unknown>).stream_options).toBeUndefined();
    expect(await testbed.metrics.points(TOKENS)).toEqual([]);
    expect(await testbed.metrics.points(COST)).toEqual([]);
    expect(totalCount(await durations())).toBe(1);
  });

  it("measures time to first chunk from the request, including the server's delay", async () => {
    const stream = await client().chat.completions.create(
      { model: 'gpt-4o-mini', messages: MESSAGES, stream: true },
      { headers: { 'x-test-scenario': 'slow-first-chunk:300,chunks:3' } },
    );
    await drain(stream);
    const [ttfc] = await testbed.metrics.points(TTFC);
    const [duration] = await durations();
    expect(ttfc!.sum).toBeGreaterThanOrEqual(0.3);
    expect(ttfc!.sum).toBeLessThanOrEqual(duration!.sum!);
  });

  it('counts a helper stream with a tool call once, and finalChatCompletion() is unchanged', async () => {
    const tools = [
      {
        type: 'function' as const,
        function: { name: 'lookup_order', parameters: { type: 'object', properties: {} } },
      },
    ];
    const params = { model: 'gpt-4o-mini', messages: MESSAGES, tools };
    const helperOf = (c: AnyOpenAI) => (major === 4 ? c.beta.chat.completions : c.chat.completions);
    const reference = await helperOf(testbed.plainClient()).stream(params).finalChatCompletion();
    testbed.server.reset();

    const final = await helperOf(client()).stream(params).finalChatCompletion();
    expect(final.choices[0].message.tool_calls[0].function.name).toBe('lookup_order');
    expect(final.usage).toEqual(reference.usage);
    expect(testbed.server.requests).toHaveLength(1);
    expect((await durations()).map((point) => [point.attributes, point.count])).toEqual([[answered(), 1]]);
    expect(byTokenType(await testbed.metrics.points(TOKENS)).input!.count).toBe(1);
  });

  it('measures responses.stream() and clients derived with withOptions()', async () => {
    const instrumented = client();
    const final = await instrumented.responses
      .stream({ model: 'gpt-4o-mini', input: 'Hello there' })
      .finalResponse();
    expect(final.status).toBe('completed');
    if (typeof instrumented.withOptions === 'function') {
      const derived = instrumented.withOptions({ timeout: 5_000 });
      expect(derived).toBeInstanceOf(testbed.openai.OpenAI);
      await derived.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES });
    } else {
      await instrumented.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES });
    }
    expect(testbed.server.requests).toHaveLength(2);
    expect((await durations()).map((point) => [point.attributes, point.count])).toEqual([[answered(), 2]]);
    expect(totalCount(await testbed.metrics.points(TTFC))).toBe(1);
  });

  it('records the Responses API, streamed and not', async () => {
    const instrumented = client();
    const response = await instrumented.responses.create({ model: 'gpt-4o-mini', input: 'Hello there' });
    expect(typeof response.output_text).toBe('string');
    const stream = await instrumented.responses.create({
      model: 'gpt-4o-mini',
      input: 'Hello there',
      stream: true,
    });
    const events = await drain(stream);
    expect(events.at(-1)!.type).toBe('response.completed');

    const reported = testbed.server.responses.map((entry) => entry.usage!);
    expect(byTokenType(await testbed.metrics.points(TOKENS))).toEqual({
      input: { count: 2, sum: reported[0]!.input + reported[1]!.input },
      output: { count: 2, sum: reported[0]!.output + reported[1]!.output },
    });
    const deltas = events.filter((event) => String(event.type).endsWith('.delta')).length;
    expect(totalCount(await testbed.metrics.points(TTFC))).toBe(1);
    expect(totalCount(await testbed.metrics.points(TPOC))).toBe(deltas - 1);
    expect((await durations()).map((point) => [point.attributes, point.count])).toEqual([[answered(), 2]]);
  });

  it('records embeddings with input tokens only', async () => {
    const result = await client().embeddings.create({
      model: 'text-embedding-3-small',
      input: ['one two', 'three'],
    });
    expect(result.data).toHaveLength(2);
    const reported = testbed.server.responses[0]!.usage!;
    const tokens = await testbed.metrics.points(TOKENS);
    expect(tokens).toHaveLength(1);
    expect(tokens[0]!.attributes['gen_ai.token.type']).toBe('input');
    expect(tokens[0]!.sum).toBe(reported.input);
    const [duration] = await durations();
    expect(duration!.attributes['gen_ai.operation.name']).toBe('embeddings');
    expect(await testbed.metrics.points(COST)).toEqual([
      {
        attributes: {
          'gen_ai.operation.name': 'embeddings',
          'gen_ai.provider.name': '127.0.0.1',
          'gen_ai.request.model': 'text-embedding-3-small',
          'gen_ai.response.model': String(duration!.attributes['gen_ai.response.model']),
          'gen_ai.token.type': 'input',
        },
        value: (reported.input * 0.02) / 1e6,
      },
    ]);
  });

  it('records speech to text and text to speech, and returns the audio bytes untouched', async () => {
    const instrumented = client();
    const file = await testbed.openai.exports.toFile(Buffer.alloc(1234, 1), 'turn.wav', {
      type: 'audio/wav',
    });
    const whisper = await instrumented.audio.transcriptions.create({ model: 'whisper-1', file });
    expect(typeof whisper.text).toBe('string');
    const file2 = await testbed.openai.exports.toFile(Buffer.alloc(1234, 1), 'turn.wav', {
      type: 'audio/wav',
    });
    await instrumented.audio.transcriptions.create({ model: 'gpt-4o-transcribe', file: file2 });
    const speech = await instrumented.audio.speech.create({
      model: 'gpt-4o-mini-tts',
      voice: 'alloy',
      input: 'Hi there',
    });
    const bytes = Buffer.from(await speech.arrayBuffer());
    expect(bytes.length).toBe(
      testbed.server.responses[2]!.chunks === undefined ? bytes.length : bytes.length,
    );

    const byOperation = (await durations()).map((point) => [
      point.attributes['gen_ai.operation.name'],
      point.attributes['gen_ai.request.model'],
      point.count,
    ]);
    expect(byOperation).toEqual([
      ['transcription', 'whisper-1', 1],
      ['transcription', 'gpt-4o-transcribe', 1],
      ['speech', 'gpt-4o-mini-tts', 1],
    ]);
    // whisper-1 reports no usage; gpt-4o-transcribe does.
    const tokens = await testbed.metrics.points(TOKENS);
    expect(
      tokens.map((point) => [
        point.attributes['gen_ai.request.model'],
        point.attributes['gen_ai.token.type'],
        point.sum,
      ]),
    ).toEqual([
      ['gpt-4o-transcribe', 'input', testbed.server.responses[1]!.usage!.input],
      ['gpt-4o-transcribe', 'output', testbed.server.responses[1]!.usage!.output],
    ]);
  });

  it('throws the very error the SDK throws, and records its status as error.type', async () => {
    const failingCall = async (c: AnyOpenAI): Promise<Error> => {
      try {
        await c.chat.completions.create(
          { model: 'gpt-4o-mini', messages: MESSAGES },
          { headers: { 'x-test-scenario': 'error:429' } },
        );
      } catch (error) {
        return error as Error;
      }
      throw new Error('the call did not fail');
    };
    const reference = await failingCall(testbed.plainClient());
    const caught = await failingCall(client());
    expect(caught).toBeInstanceOf(testbed.openai.exports.RateLimitError);
    expect(caught.constructor).toBe(reference.constructor);
    expect(caught.message).toBe(reference.message);
    // The same frames as without us, up to the caller: the SDK's own error, rethrown untouched.
    const frames = (error: Error) => {
      const lines = (error.stack ?? '').split('\n').filter((line) => line.includes(' at '));
      return lines.slice(0, lines.findIndex((line) => line.includes('failingCall')) + 1);
    };
    expect(frames(reference).at(-1)).toContain('failingCall');
    expect(frames(caught)).toEqual(frames(reference));
    testbed.server.reset();
    await testbed.renewMetrics();
    await failingCall(client());
    const points = await durations();
    expect(points.map((point) => [point.attributes, point.count])).toEqual([
      [{ ...base(), 'error.type': '429' }, 1],
    ]);
    expect(await testbed.metrics.points(TOKENS)).toEqual([]);
  });

  it('records a failure seen through a helper (responses.stream(), built on _thenUnwrap) once', async () => {
    const stream = client().responses.stream(
      { model: 'gpt-4o-mini', input: 'Hello there' },
      { headers: { 'x-test-scenario': 'error:500' } },
    );
    await expect(stream.finalResponse()).rejects.toBeInstanceOf(testbed.openai.exports.InternalServerError);
    expect((await durations()).map((point) => [point.attributes, point.count])).toEqual([
      [{ ...base(), 'error.type': '500' }, 1],
    ]);
  });

  it('counts a call that succeeded after retries once, without error.type', async () => {
    await client({ maxRetries: 2 }).chat.completions.create(
      { model: 'gpt-4o-mini', messages: MESSAGES },
      { headers: { 'x-test-scenario': 'error:500,fail-times:2', 'x-test-scenario-key': `retry-${major}` } },
    );
    expect(testbed.server.requests).toHaveLength(3);
    expect((await durations()).map((point) => [point.attributes, point.count])).toEqual([[answered(), 1]]);
  });

  it('records a connection cut mid-stream by the error class the caller sees', async () => {
    const stream = await client().chat.completions.create(
      { model: 'gpt-4o-mini', messages: MESSAGES, stream: true },
      { headers: { 'x-test-scenario': 'cut-after:3' } },
    );
    let caught: unknown;
    try {
      await drain(stream);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(Error);
    const points = await durations();
    expect(points).toHaveLength(1);
    expect(points[0]!.attributes['error.type']).toBe((caught as Error).constructor.name);
    expect(points[0]!.count).toBe(1);
    expect(await testbed.metrics.points(TOKENS)).toEqual([]);
  });

  it('records an aborted request as canceled and rethrows the abort error', async () => {
    const controller = new AbortController();
    const promise = client().chat.completions.create(
      { model: 'gpt-4o-mini', messages: MESSAGES },
      { headers: { 'x-test-scenario': 'hang' }, signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 50);
    await expect(promise).rejects.toBeInstanceOf(testbed.openai.exports.APIUserAbortError);
    const points = await durations();
    expect(points.map((point) => [point.attributes['error.type'], point.count])).toEqual([['canceled', 1]]);
  });

  it('records a stream the caller leaves with break as canceled, once', async () => {
    const stream = await client().chat.completions.create(
      { model: 'gpt-4o-mini', messages: MESSAGES, stream: true },
      { headers: { 'x-test-scenario': 'chunks:20,chunk-delay:5' } },
    );
    let seen = 0;
    for await (const _chunk of stream) {
      seen++;
      if (seen === 2) break;
    }
    const points = await durations();
    expect(points.map((point) => [point.attributes['error.type'], point.count])).toEqual([['canceled', 1]]);
    expect(totalCount(await testbed.metrics.points(TTFC))).toBe(1);
    expect(totalCount(await testbed.metrics.points(TPOC))).toBe(1);
  });

  it("records stream.controller.abort() mid-stream as canceled, and the caller sees the SDK's error", async () => {
    const stream = await client().chat.completions.create(
      { model: 'gpt-4o-mini', messages: MESSAGES, stream: true },
      { headers: { 'x-test-scenario': 'chunks:20,chunk-delay:5' } },
    );
    let seen = 0;
    const outcome = await (async () => {
      try {
        for await (const _chunk of stream) {
          seen++;
          if (seen === 2) stream.controller.abort();
        }
        return 'ended';
      } catch (error) {
        return error;
      }
    })();
    const points = await durations();
    expect(points).toHaveLength(1);
    expect(points[0]!.attributes['error.type']).toBe('canceled');
    expect(points[0]!.count).toBe(1);
    // Whatever the SDK does on abort (end quietly or throw), the caller sees it unchanged.
    expect(outcome === 'ended' || outcome instanceof Error).toBe(true);
  });

  it('serves toReadableStream() and tee() through the same observation, once per call', async () => {
    const instrumented = client();
    const stream = await instrumented.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: MESSAGES,
      stream: true,
    });
    const text = await new Response(stream.toReadableStream()).text();
    const lines = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.every((chunk: Record<string, unknown>) => !('usage' in chunk))).toBe(true);

    const teed = await instrumented.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: MESSAGES,
      stream: true,
    });
    const [left, right] = teed.tee();
    const [a, b] = await Promise.all([drain(left), drain(right)]);
    expect(a.map(shapeOf)).toEqual(b.map(shapeOf));
    expect(a).toHaveLength(lines.length);

    expect((await durations()).map((point) => [point.attributes, point.count])).toEqual([[answered(), 2]]);
    expect(byTokenType(await testbed.metrics.points(TOKENS)).input!.count).toBe(2);
  });

  it('supports .withResponse() with usage, and .asResponse() without reading the body for the caller', async () => {
    const instrumented = client();
    const { data, response } = await instrumented.chat.completions
      .create({ model: 'gpt-4o-mini', messages: MESSAGES })
      .withResponse();
    expect(data.object).toBe('chat.completion');
    expect(response.status).toBe(200);

    const raw = await instrumented.chat.completions
      .create({ model: 'gpt-4o-mini', messages: MESSAGES })
      .asResponse();
    const body = await raw.json();
    expect(body.object).toBe('chat.completion');
    await new Promise((resolve) => setImmediate(resolve));

    const points = await durations();
    // The raw call has no parsed body, so no response model: two series, one call each.
    expect(points.map((point) => [point.attributes, point.count])).toEqual([
      [answered(), 1],
      [base(), 1],
    ]);
    expect(byTokenType(await testbed.metrics.points(TOKENS)).input!.count).toBe(1);
  });

  it('names an AzureOpenAI client azure.ai.openai, whatever its host', async () => {
    const azure = instrumentOpenAI(
      new testbed.openai.exports.AzureOpenAI({
        apiKey: 'test',
        baseURL: testbed.server.baseURL,
        apiVersion: '2024-10-21',
        maxRetries: 0,
      }),
      { meterProvider: testbed.metrics.meterProvider },
    );
    // Azure routes by deployment, which the local server does not serve: the call fails, and is still named.
    await azure.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES }).catch(() => undefined);
    const points = await durations();
    expect(points).toHaveLength(1);
    expect(points[0]!.attributes['gen_ai.provider.name']).toBe('azure.ai.openai');
    expect(points[0]!.attributes['server.address']).toBe('127.0.0.1');
  });

  it('never puts prompt, completion, tool argument or audio text into an attribute', async () => {
    // Letters around the digits: a free port (server.port) may well contain 4711.
    const secret = 'caller-x4711y ssn 078-05-1120';
    const instrumented = client();
    await instrumented.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: secret }],
      user: secret,
    });
    await drain(
      await instrumented.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: secret }],
        stream: true,
      }),
    );
    await instrumented.audio.speech.create({ model: 'gpt-4o-mini-tts', voice: 'alloy', input: secret });
    const values = await testbed.metrics.allAttributeValues();
    expect(values.length).toBeGreaterThan(0);
    for (const value of values) {
      expect(value).not.toContain('x4711y');
      expect(value).not.toContain('078-05');
    }
  });
});

describe('a meter that throws', () => {
  it('leaves the call to succeed with its own result', async () => {
    const openai = loadOpenAI(OPENAI_MAJORS.at(-1)!);
    const server = await startOpenAICompatibleServer();
    try {
      const throwing = {
        getMeter() {
          throw new Error('meter exploded');
        },
      };
      const instrumented = instrumentOpenAI(
        new openai.OpenAI({ apiKey: 'test', baseURL: server.baseURL, maxRetries: 0 }),
        { meterProvider: throwing },
      );
      const completion = await instrumented.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: MESSAGES,
      });
      expect(completion.object).toBe('chat.completion');
      const chunks = await drain(
        await instrumented.chat.completions.create({
          model: 'gpt-4o-mini',
          messages: MESSAGES,
          stream: true,
        }),
      );
      expect(chunks.length).toBeGreaterThan(1);
    } finally {
      await server.close();
    }
  });
});

export type { Point };
