import { type StartedServer, startOpenAICompatibleServer } from '@va/openai-compatible-server';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instrumentOpenAI } from '../src/index.js';
import { byTokenType, TestMetrics, totalCount } from './support/metrics.js';

const DURATION = 'gen_ai.client.operation.duration';
const TOKENS = 'gen_ai.client.token.usage';
const TTFC = 'gen_ai.client.operation.time_to_first_chunk';
const CACHED = 'gen_ai.client.inference.usage.cache_read.input_tokens';
const CALLS = 1_000;
const MESSAGES = [{ role: 'user' as const, content: 'Say hello to the caller please' }];

/**
 * Per 20 calls: plain and streamed chat, cached input, embeddings, 429s, a 500 on a stream request
 * and streams cut after two events. Streams have a small delay between chunks, so the calls overlap
 * for their whole length, not only at the start.
 */
type Kind = 'chat' | 'cached' | 'stream' | 'embeddings' | '429' | 'stream-500' | 'stream-cut';
const MIX: readonly Kind[] = [
  ...Array<Kind>(7).fill('chat'),
  'cached',
  ...Array<Kind>(6).fill('stream'),
  'embeddings',
  '429',
  '429',
  'stream-500',
  'stream-cut',
  'stream-cut',
];

async function call(client: OpenAI, kind: Kind): Promise<string | undefined> {
  const scenario = (directives: string) => ({ headers: { 'x-test-scenario': directives } });
  try {
    switch (kind) {
      case 'chat':
        await client.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES });
        break;
      case 'cached':
        await client.chat.completions.create(
          { model: 'gpt-4o-mini', messages: MESSAGES },
          scenario('cached:5'),
        );
        break;
      case 'embeddings':
        await client.embeddings.create({ model: 'text-embedding-3-small', input: 'hello there' });
        break;
      case '429':
        await client.chat.completions.create(
          { model: 'gpt-4o-mini', messages: MESSAGES },
          scenario('error:429'),
        );
        break;
      default: {
        const directives = {
          stream: 'chunk-delay:2',
          'stream-500': 'error:500',
          'stream-cut': 'cut-after:2',
        }[kind];
        const stream = await client.chat.completions.create(
          { model: 'gpt-4o-mini', messages: MESSAGES, stream: true },
          scenario(directives),
        );
        for await (const _chunk of stream);
      }
    }
    return undefined;
  } catch (error) {
    return (error as Error).constructor.name;
  }
}

describe(`${CALLS.toLocaleString('en')} concurrent calls through the real openai client`, () => {
  let server: StartedServer;
  let metrics: TestMetrics;

  beforeAll(async () => {
    server = await startOpenAICompatibleServer();
  });
  afterAll(async () => {
    await metrics?.shutdown();
    await server.close();
  });

  it('every count is exact: calls per error.type, tokens as the server reported them, first chunks per stream', async () => {
    metrics = new TestMetrics();
    const client = instrumentOpenAI(
      new OpenAI({ apiKey: 'test', baseURL: server.baseURL, maxRetries: 0, timeout: 60_000 }),
      { meterProvider: metrics.meterProvider },
    );
    const kinds = Array.from({ length: CALLS }, (_, index) => MIX[index % MIX.length]!);
    const errors = await Promise.all(kinds.map((kind) => call(client, kind)));
    const per = (kind: Kind) => kinds.filter((each) => each === kind).length;

    // What the caller saw, so the metrics below can be held against it.
    const failed = new Map<string, number>();
    kinds.forEach((kind, index) => {
      const outcome = `${kind}: ${errors[index] ?? 'ok'}`;
      failed.set(outcome, (failed.get(outcome) ?? 0) + 1);
    });
    const cutError = errors[kinds.indexOf('stream-cut')]!;
    expect(Object.fromEntries(failed)).toEqual({
      'chat: ok': per('chat'),
      'cached: ok': per('cached'),
      'stream: ok': per('stream'),
      'embeddings: ok': per('embeddings'),
      '429: RateLimitError': per('429'),
      'stream-500: InternalServerError': per('stream-500'),
      [`stream-cut: ${cutError}`]: per('stream-cut'),
    });

    const chat = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': '127.0.0.1',
      'gen_ai.request.model': 'gpt-4o-mini',
      'server.address': '127.0.0.1',
      'server.port': server.port,
    };
    const answered = { ...chat, 'gen_ai.response.model': 'gpt-4o-mini-2024-07-18' };
    const embeddings = {
      ...chat,
      'gen_ai.operation.name': 'embeddings',
      'gen_ai.request.model': 'text-embedding-3-small',
      'gen_ai.response.model': 'text-embedding-3-small',
    };
    const durations = (await metrics.points(DURATION)).map((point) => [point.attributes, point.count]);
    expect(durations).toHaveLength(5);
    expect(durations).toEqual(
      expect.arrayContaining([
        [answered, per('chat') + per('cached') + per('stream')],
        [embeddings, per('embeddings')],
        [{ ...chat, 'error.type': '429' }, per('429')],
        [{ ...chat, 'error.type': '500' }, per('stream-500')],
        // A cut stream had already named its model in its first event.
        [{ ...answered, 'error.type': cutError }, per('stream-cut')],
      ]),
    );

    // Tokens: exactly what the server put in the responses that carried usage (cut streams never
    // reached their usage chunk; errors carry none).
    const reported = (path: string) => server.responses.filter((entry) => entry.path === path && entry.usage);
    const chatUsage = reported('/v1/chat/completions');
    const embeddingUsage = reported('/v1/embeddings');
    expect(chatUsage).toHaveLength(per('chat') + per('cached') + per('stream'));
    expect(embeddingUsage).toHaveLength(per('embeddings'));
    const tokens = await metrics.points(TOKENS);
    const sum = (entries: typeof chatUsage, type: 'input' | 'output') =>
      entries.reduce((total, entry) => total + entry.usage![type], 0);
    expect(
      byTokenType(tokens.filter((point) => point.attributes['gen_ai.operation.name'] === 'chat')),
    ).toEqual({
      input: { count: chatUsage.length, sum: sum(chatUsage, 'input') },
      output: { count: chatUsage.length, sum: sum(chatUsage, 'output') },
    });
    expect(
      byTokenType(tokens.filter((point) => point.attributes['gen_ai.operation.name'] === 'embeddings')),
    ).toEqual({ input: { count: embeddingUsage.length, sum: sum(embeddingUsage, 'input') } });
    expect(await metrics.points(CACHED)).toEqual([{ attributes: answered, value: 5 * per('cached') }]);

    // Time to first chunk: once per stream that received one, the cut ones included (they got two
    // events before the cut); the 500 was refused before any chunk, and plain calls have no chunks.
    const firstChunks = await metrics.points(TTFC);
    expect(firstChunks.map((point) => point.attributes)).toEqual([answered]);
    expect(totalCount(firstChunks)).toBe(per('stream') + per('stream-cut'));
  }, 60_000);
});
