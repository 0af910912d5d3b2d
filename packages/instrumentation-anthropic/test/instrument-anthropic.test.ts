import { byTokenType, totalCount } from '@va/test-metrics';
import { describe, expect, it } from 'vitest';
import { instrumentAnthropic } from '../src/index.js';
import { ANTHROPIC_MAJORS, type AnyAnthropic } from './support/anthropic-majors.js';
import { useTestbed } from './support/testbed.js';

const DURATION = 'gen_ai.client.operation.duration';
const TOKENS = 'gen_ai.client.token.usage';
const TTFC = 'gen_ai.client.operation.time_to_first_chunk';
const TPOC = 'gen_ai.client.operation.time_per_output_chunk';
const COST = 'gen_ai.client.cost';
const CACHE_READ = 'gen_ai.client.inference.usage.cache_read.input_tokens';
const CACHE_WRITE = 'gen_ai.client.inference.usage.cache_write.input_tokens';

const MODEL = 'claude-sonnet-4-5-20250929';
const PROMPT = 'Say hello to the caller please';
const REQUEST = { model: MODEL, max_tokens: 1024, messages: [{ role: 'user' as const, content: PROMPT }] };
/** USD per million tokens, as Anthropic prices Sonnet 4.5: its own table, so the expected cost is exact. */
const PRICES = { [MODEL]: { input: 3, cachedInput: 0.3, cacheWriteInput: 3.75, output: 15 } };

const scenario = (directives: string) => ({ headers: { 'x-test-scenario': directives } });

async function drain(stream: AsyncIterable<unknown>): Promise<Record<string, unknown>[]> {
  const events: Record<string, unknown>[] = [];
  for await (const event of stream) events.push(event as Record<string, unknown>);
  return events;
}

/** Events without the message id, which differs between two runs. */
function shapeOf(event: Record<string, unknown>): unknown {
  if (event.type !== 'message_start') return event;
  const { id: _id, ...message } = event.message as Record<string, unknown>;
  return { ...event, message };
}

describe.each(ANTHROPIC_MAJORS)('@anthropic-ai/sdk %i through instrumentAnthropic', (major) => {
  const testbed = useTestbed(major);
  const client = (options: Record<string, unknown> = {}): AnyAnthropic =>
    instrumentAnthropic(testbed.plainClient(options), {
      meterProvider: testbed.metrics.meterProvider,
      prices: PRICES,
      builtInPrices: false,
    });
  const base = () => testbed.callAttributes(MODEL);
  const answered = () => ({ ...base(), 'gen_ai.response.model': MODEL });
  const durationCounts = () => testbed.durationCounts();

  it('keeps the client an instance of Anthropic and returns the SDK APIPromise itself', async () => {
    const instrumented = client();
    expect(instrumented).toBeInstanceOf(testbed.anthropic.Anthropic);
    const promise = instrumented.messages.create(REQUEST);
    expect(promise.constructor.name).toBe('APIPromise');
    expect(typeof promise.withResponse).toBe('function');
    await promise;
    expect(instrumented.messages.create).toBe(instrumented.messages.create);
    expect(instrumentAnthropic(instrumented)).toBe(instrumented);
  });

  it('records a non-streamed call: duration, tokens as reported, cost from the prices', async () => {
    const message = await client().messages.create(REQUEST);
    const reported = testbed.server.responses[0]!.usage!;
    expect(message.model).toBe(MODEL);
    expect(message.usage.input_tokens).toBe(reported.input);
    expect(message.usage.output_tokens).toBe(reported.output);
    expect(await durationCounts()).toEqual([[answered(), 1]]);
    const tokens = await testbed.metrics.points(TOKENS);
    expect(tokens.map((point) => point.attributes)).toEqual([
      { ...answered(), 'gen_ai.token.type': 'input' },
      { ...answered(), 'gen_ai.token.type': 'output' },
    ]);
    expect(byTokenType(tokens)).toEqual({
      input: { count: 1, sum: reported.input },
      output: { count: 1, sum: reported.output },
    });
    const cost = (await testbed.metrics.points(COST)).reduce((sum, point) => sum + point.value, 0);
    expect(cost).toBeCloseTo((reported.input * 3 + reported.output * 15) / 1_000_000, 12);
    expect(await testbed.metrics.points(TTFC)).toEqual([]);
    // Anthropic reports its cache counts on every message, 0 when nothing was read or written.
    expect(await testbed.metrics.points(CACHE_READ)).toEqual([{ attributes: answered(), value: 0 }]);
    expect(await testbed.metrics.points(CACHE_WRITE)).toEqual([{ attributes: answered(), value: 0 }]);
  });

  it("streams create({ stream: true }): the caller's events unchanged, output from message_delta only", async () => {
    const request = { ...REQUEST, stream: true };
    const without = await drain(await testbed.plainClient().messages.create(request, scenario('chunks:6')));
    testbed.server.reset();
    const events = await drain(await client().messages.create(request, scenario('chunks:6')));
    expect(events.map(shapeOf)).toEqual(without.map(shapeOf));
    const reported = testbed.server.responses[0]!.usage!;
    const start = events.find((event) => event.type === 'message_start')!.message as { usage: object };
    // message_start's provisional output count is never added to message_delta's cumulative one.
    expect(start.usage).toMatchObject({ output_tokens: 1 });
    expect(reported.output).toBe(6);
    expect(byTokenType(await testbed.metrics.points(TOKENS))).toEqual({
      input: { count: 1, sum: reported.input },
      output: { count: 1, sum: 6 },
    });
    expect(await durationCounts()).toEqual([[answered(), 1]]);
    const deltas = events.filter((event) => event.type === 'content_block_delta').length;
    expect(deltas).toBe(6);
    expect(totalCount(await testbed.metrics.points(TTFC))).toBe(1);
    expect(totalCount(await testbed.metrics.points(TPOC))).toBe(deltas - 1);
  });

  it('measures messages.stream() and finalMessage() as the one create they end in', async () => {
    const stream = client().messages.stream(REQUEST, scenario('chunks:4'));
    const texts: string[] = [];
    stream.on('text', (text: string) => texts.push(text));
    const message = await stream.finalMessage();
    expect(texts.join('')).toBe(message.content[0].text);
    expect(testbed.server.requests).toHaveLength(1);
    expect(await durationCounts()).toEqual([[answered(), 1]]);
    expect(byTokenType(await testbed.metrics.points(TOKENS))).toEqual({
      input: { count: 1, sum: testbed.server.responses[0]!.usage!.input },
      output: { count: 1, sum: message.usage.output_tokens },
    });
    expect(totalCount(await testbed.metrics.points(TTFC))).toBe(1);
    expect(totalCount(await testbed.metrics.points(TPOC))).toBe(3);
  });

  it('measures beta.messages.create and messages.parse() where the SDK has it, each once', async () => {
    const instrumented = client();
    await instrumented.beta.messages.create(REQUEST);
    if (typeof instrumented.messages.parse === 'function') await instrumented.messages.parse(REQUEST);
    const calls = typeof instrumented.messages.parse === 'function' ? 2 : 1;
    expect(testbed.server.requests).toHaveLength(calls);
    expect(await durationCounts()).toEqual([[answered(), calls]]);
  });

  it('records cache reads and writes on their counters, and counts them as input', async () => {
    const message = await client().messages.create(REQUEST, scenario('cache-read:2,cache-write:1'));
    const reported = testbed.server.responses[0]!.usage!;
    expect(message.usage).toMatchObject({ cache_read_input_tokens: 2, cache_creation_input_tokens: 1 });
    expect(reported.input).toBe(message.usage.input_tokens + 3);
    expect(byTokenType(await testbed.metrics.points(TOKENS)).input).toEqual({
      count: 1,
      sum: reported.input,
    });
    expect(await testbed.metrics.value(CACHE_READ, answered())).toBe(2);
    expect(await testbed.metrics.value(CACHE_WRITE, answered())).toBe(1);
    const cost = (await testbed.metrics.points(COST)).reduce((sum, point) => sum + point.value, 0);
    const uncached = reported.input - 3;
    expect(cost).toBeCloseTo((uncached * 3 + 2 * 0.3 + 1 * 3.75 + reported.output * 15) / 1_000_000, 12);
  });

  it('records the cache counts of a stream as message_start and message_delta report them', async () => {
    await drain(
      await client().messages.create({ ...REQUEST, stream: true }, scenario('cache-read:3,cache-write:2')),
    );
    const reported = testbed.server.responses[0]!.usage!;
    expect(byTokenType(await testbed.metrics.points(TOKENS)).input).toEqual({
      count: 1,
      sum: reported.input,
    });
    expect(await testbed.metrics.value(CACHE_READ, answered())).toBe(3);
    expect(await testbed.metrics.value(CACHE_WRITE, answered())).toBe(2);
  });

  it('measures time to first chunk from the request, including the server delay', async () => {
    await drain(
      await client().messages.create({ ...REQUEST, stream: true }, scenario('slow-first-chunk:120')),
    );
    const [ttfc] = await testbed.metrics.points(TTFC);
    expect(ttfc!.count).toBe(1);
    expect(ttfc!.sum).toBeGreaterThanOrEqual(0.12);
  });

  it('records a stream the caller leaves with break as canceled, once', async () => {
    const stream = await client().messages.create(
      { ...REQUEST, stream: true },
      scenario('chunks:20,chunk-delay:5'),
    );
    let seen = 0;
    for await (const _event of stream) if (++seen === 4) break;
    expect(await durationCounts()).toEqual([[{ ...answered(), 'error.type': 'canceled' }, 1]]);
  });

  it('does not count messages.countTokens as a call', async () => {
    const counted = await client().messages.countTokens({ model: MODEL, messages: REQUEST.messages });
    expect(counted.input_tokens).toBeGreaterThan(0);
    expect(testbed.server.requests).toHaveLength(1);
    expect(await testbed.metrics.points(DURATION)).toEqual([]);
    expect(await testbed.metrics.points(TOKENS)).toEqual([]);
  });

  it('counts a call once through two wrappers, and measures clients derived with withOptions()', async () => {
    const twice = instrumentAnthropic(client(), { meterProvider: testbed.metrics.meterProvider });
    await twice.messages.create(REQUEST);
    if (typeof twice.withOptions === 'function')
      await twice.withOptions({ timeout: 5000 }).messages.create(REQUEST);
    const calls = typeof twice.withOptions === 'function' ? 2 : 1;
    expect(await durationCounts()).toEqual([[answered(), calls]]);
  });

  it('takes the providerName option over anthropic', async () => {
    const named = instrumentAnthropic(testbed.plainClient(), {
      meterProvider: testbed.metrics.meterProvider,
      providerName: 'aws.bedrock',
    });
    await named.messages.create(REQUEST);
    expect(await durationCounts()).toEqual([[{ ...answered(), 'gen_ai.provider.name': 'aws.bedrock' }, 1]]);
  });

  it('never puts prompt or reply text into an attribute', async () => {
    const message = await client().messages.create(REQUEST);
    await drain(await client().messages.create({ ...REQUEST, stream: true }));
    const words = [...PROMPT.split(' '), ...(message.content[0].text as string).split(/\W+/)].filter(
      (word) => word.length > 3,
    );
    const values = await testbed.metrics.allAttributeValues();
    for (const word of words) expect(values.filter((value) => value.includes(word))).toEqual([]);
  });
});
