import { performance } from 'node:perf_hooks';
import { byTokenType, totalCount } from '@va/test-metrics';
import { describe, expect, it } from 'vitest';
import { GoogleGenAIInstrumentation, instrumentGoogleGenAI } from '../src/index.js';
import { type AnyModule, MAJORS, NODE_MAJOR, useTestbed } from './support/testbed.js';

const DURATION = 'gen_ai.client.operation.duration';
const TOKENS = 'gen_ai.client.token.usage';
const TTFC = 'gen_ai.client.operation.time_to_first_chunk';
const TPOC = 'gen_ai.client.operation.time_per_output_chunk';
const COST = 'gen_ai.client.cost';
const CACHED = 'gen_ai.client.inference.usage.cache_read.input_tokens';
const REASONING = 'gen_ai.client.inference.usage.reasoning.output_tokens';

const PROMPT = 'Say hello to the caller please';
const REQUEST = { model: 'gemini-2.5-flash', contents: PROMPT };
/** USD per million tokens: a table of the test's own, so the expected cost is exact. */
const PRICES = { 'gemini-2.5-flash': { input: 0.3, cachedInput: 0.03, output: 2.5 } };

function scenario(value: string, config: Record<string, unknown> = {}) {
  return { ...config, httpOptions: { headers: { 'x-test-scenario': value } } };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (caught: unknown) => caught,
  );
}

async function drain(stream: AsyncIterable<unknown>): Promise<unknown[]> {
  const items: unknown[] = [];
  for await (const item of stream) items.push(item);
  return items;
}

for (const { major, minNode, name } of MAJORS) {
  describe.skipIf(NODE_MAJOR < minNode)(`@google/genai ${major}.x through instrumentGoogleGenAI`, () => {
    const testbed = useTestbed(name);
    const client = (options: { vertexai?: boolean; timeout?: number } = {}): AnyModule =>
      instrumentGoogleGenAI(testbed.plainClient(options), {
        meterProvider: testbed.metrics.meterProvider,
        prices: PRICES,
      });
    const base = (operation = 'generate_content', provider = 'gcp.gemini', model = 'gemini-2.5-flash') => ({
      'gen_ai.operation.name': operation,
      'gen_ai.provider.name': provider,
      'gen_ai.request.model': model,
      'server.address': '127.0.0.1',
      'server.port': testbed.server.port,
    });
    const answered = (provider = 'gcp.gemini') => ({
      ...base('generate_content', provider),
      'gen_ai.response.model': 'gemini-2.5-flash',
    });
    const costOf = (usage: { input: number; cachedInput: number; output: number }) =>
      ((usage.input - usage.cachedInput) * 0.3 + usage.cachedInput * 0.03 + usage.output * 2.5) / 1_000_000;
    const totalCost = async () =>
      (await testbed.metrics.points(COST)).reduce((sum, point) => sum + point.value, 0);

    it('keeps the client a GoogleGenAI and its models calls returning what they returned', async () => {
      const plain = testbed.plainClient();
      const instrumented = client();
      expect(instrumented).toBeInstanceOf(testbed.sdk.GoogleGenAI);
      expect(instrumentGoogleGenAI(instrumented)).toBe(instrumented);
      expect(instrumented.models).toBe(instrumented.models);
      expect(instrumented.models.generateContent).toBe(instrumented.models.generateContent);
      const response = await instrumented.models.generateContent(REQUEST);
      expect(response).toBeInstanceOf(testbed.sdk.GenerateContentResponse);
      expect(response.text).toBe((await plain.models.generateContent(REQUEST)).text);
    });

    it('measures the messages of the chats it creates, streamed or not, each once', async () => {
      const chat = client().chats.create({ model: 'gemini-2.5-flash' });
      const reply = await chat.sendMessage({ message: PROMPT });
      expect(reply.text).toEqual(expect.any(String));
      await drain(await chat.sendMessageStream({ message: 'And again' }));
      const durations = await testbed.metrics.points(DURATION);
      expect(durations.map((point) => [point.attributes, point.count])).toEqual([[answered(), 2]]);
      expect(totalCount(await testbed.metrics.points(TTFC))).toBe(1);
      expect(testbed.server.responses.map((response) => response.stream)).toEqual([false, true]);
      expect(chat).toBeInstanceOf(testbed.sdk.Chat);
    });

    it('records generateContent: duration, tokens as reported, cost from the prices, no time to first chunk', async () => {
      await client().models.generateContent(REQUEST);
      const reported = testbed.server.responses[0]!.usage!;

      const durations = await testbed.metrics.points(DURATION);
      expect(durations.map((point) => [point.attributes, point.count])).toEqual([[answered(), 1]]);
      const tokens = await testbed.metrics.points(TOKENS);
      expect(tokens.map((point) => point.attributes)).toEqual([
        { ...answered(), 'gen_ai.token.type': 'input', 'gen_ai.token.modality': 'text' },
        { ...answered(), 'gen_ai.token.type': 'output', 'gen_ai.token.modality': 'text' },
      ]);
      expect(byTokenType(tokens)).toEqual({
        input: { count: 1, sum: reported.input },
        output: { count: 1, sum: reported.output },
      });
      expect(await totalCost()).toBeCloseTo(costOf(reported), 15);
      expect(await testbed.metrics.points(TTFC)).toEqual([]);
    });

    it('records a stream as it is read: the last chunk’s usage (never a sum), time to first chunk, chunk gaps', async () => {
      const started = performance.now();
      const stream = await client().models.generateContentStream({
        ...REQUEST,
        config: scenario('slow-first-chunk:120,cache-read:5,thoughts:4'),
      });
      const chunks = await drain(stream);
      const elapsed = performance.now() - started;
      const reported = testbed.server.responses[0]!.usage!;
      expect(chunks).toHaveLength(12);
      expect(reported).toEqual({ input: 9, output: 16, cachedInput: 5, reasoningOutput: 4 });

      const [ttfc] = await testbed.metrics.points(TTFC);
      expect(ttfc!.attributes).toEqual(answered());
      expect(ttfc!.count).toBe(1);
      expect(ttfc!.sum! * 1000).toBeGreaterThanOrEqual(115);
      expect(ttfc!.sum! * 1000).toBeLessThanOrEqual(elapsed);
      expect(totalCount(await testbed.metrics.points(TPOC))).toBe(11);
      // Gemini's chunks carry running totals: the call's tokens are the last chunk's.
      expect(byTokenType(await testbed.metrics.points(TOKENS))).toEqual({
        input: { count: 1, sum: 9 },
        output: { count: 1, sum: 16 },
      });
      expect(await testbed.metrics.value(CACHED, { ...answered(), 'gen_ai.token.modality': 'text' })).toBe(5);
      expect(await testbed.metrics.value(REASONING, answered())).toBe(4);
      expect(await totalCost()).toBeCloseTo(costOf(reported), 15);
      const durations = await testbed.metrics.points(DURATION);
      expect(durations.map((point) => [point.attributes, point.count])).toEqual([[answered(), 1]]);
    });

    it('hands the caller the very stream object the client made; a break is canceled, with the usage so far', async () => {
      const plain = await testbed.plainClient().models.generateContentStream(REQUEST);
      await drain(plain);
      const stream = await client().models.generateContentStream(REQUEST);
      expect(Object.keys(stream)).toEqual(Object.keys(plain));
      for await (const _ of stream) break;
      const durations = await testbed.metrics.points(DURATION);
      expect(durations.map((point) => [point.attributes, point.count])).toEqual([
        [{ ...answered(), 'error.type': 'canceled' }, 1],
      ]);
      // The first chunk's running totals: the prompt and one reply token.
      expect(byTokenType(await testbed.metrics.points(TOKENS))).toEqual({
        input: { count: 1, sum: 9 },
        output: { count: 1, sum: 1 },
      });
    });

    it.each([429, 503, 500, 400])(
      'error:%i reaches the caller unchanged and is its own error.type',
      async (code) => {
        const plainError = await rejection(
          testbed.plainClient().models.generateContent({ ...REQUEST, config: scenario(`error:${code}`) }),
        );
        const instrumented = client();
        const error = await rejection(
          instrumented.models.generateContent({ ...REQUEST, config: scenario(`error:${code}`) }),
        );
        const streamError = await rejection(
          instrumented.models.generateContentStream({ ...REQUEST, config: scenario(`error:${code}`) }),
        );
        for (const caught of [error, streamError]) {
          expect(caught).toBeInstanceOf(testbed.sdk.ApiError);
          expect((caught as { status: number }).status).toBe(code);
          expect((caught as Error).message).toBe((plainError as Error).message);
        }
        const durations = await testbed.metrics.points(DURATION);
        expect(durations.map((point) => [point.attributes, point.count])).toEqual([
          [{ ...base(), 'error.type': String(code) }, 2],
        ]);
        expect(await testbed.metrics.points(TOKENS)).toEqual([]);
      },
    );

    it("a client timeout is error.type timeout, the caller's abort canceled", async () => {
      const timedOut = await rejection(
        client({ timeout: 50 }).models.generateContent({ ...REQUEST, config: scenario('hang') }),
      );
      const controller = new AbortController();
      const pending = client().models.generateContent({
        ...REQUEST,
        config: { ...scenario('hang'), abortSignal: controller.signal },
      });
      setTimeout(() => controller.abort(), 20);
      const aborted = await rejection(pending);
      expect((timedOut as Error).name).toBe((aborted as Error).name);
      const durations = await testbed.metrics.points(DURATION);
      expect(durations.map((point) => point.attributes['error.type']).sort()).toEqual([
        'canceled',
        'timeout',
      ]);
    });

    it('Vertex AI: provider gcp.vertex_ai; embedContent is embeddings with the tokens Vertex AI reports', async () => {
      const vertex = client({ vertexai: true });
      await vertex.models.generateContent(REQUEST);
      await vertex.models.embedContent({ model: 'text-embedding-005', contents: ['one two', 'three'] });
      const durations = await testbed.metrics.points(DURATION);
      expect(durations.map((point) => point.attributes)).toEqual([
        answered('gcp.vertex_ai'),
        base('embeddings', 'gcp.vertex_ai', 'text-embedding-005'),
      ]);
      const embeddingTokens = (await testbed.metrics.points(TOKENS)).filter(
        (point) => point.attributes['gen_ai.operation.name'] === 'embeddings',
      );
      expect(embeddingTokens.map((point) => [point.attributes['gen_ai.token.type'], point.sum])).toEqual([
        ['input', testbed.server.responses[1]!.usage!.input],
      ]);
    });

    it('Gemini API embedContent is embeddings, with no tokens (Gemini reports none); nothing of the content is a label', async () => {
      await client().models.embedContent({ model: 'gemini-embedding-001', contents: [PROMPT] });
      await client().models.generateContent(REQUEST);
      const durations = await testbed.metrics.points(DURATION);
      expect(durations[0]!.attributes).toEqual(base('embeddings', 'gcp.gemini', 'gemini-embedding-001'));
      expect(
        (await testbed.metrics.points(TOKENS)).filter(
          (point) => point.attributes['gen_ai.operation.name'] === 'embeddings',
        ),
      ).toEqual([]);
      const values = await testbed.metrics.allAttributeValues();
      for (const value of values) {
        expect(value).not.toContain('hello');
        expect(value).not.toContain('Hello');
      }
    });
  });

  describe.skipIf(NODE_MAJOR < minNode)(
    `@google/genai ${major}.x patched by GoogleGenAIInstrumentation`,
    () => {
      const testbed = useTestbed(name);

      it('measures every Models made after the patch, chats included, once; a wrapped client still once', async () => {
        const instrumentation = new GoogleGenAIInstrumentation({
          meterProvider: testbed.metrics.meterProvider,
        });
        const [patch] = (
          instrumentation as unknown as {
            modulePatches(): { patch(e: unknown): void; unpatch(e: unknown): void }[];
          }
        ).modulePatches();
        patch!.patch(testbed.sdk);
        try {
          const patched = testbed.plainClient();
          const response = await patched.models.generateContent(REQUEST);
          expect(response.text).toEqual(expect.any(String));
          await drain(await patched.models.generateContentStream(REQUEST));
          const chat = patched.chats.create({ model: 'gemini-2.5-flash' });
          await chat.sendMessage({ message: PROMPT });
          await instrumentGoogleGenAI(patched, {
            meterProvider: testbed.metrics.meterProvider,
          }).models.generateContent(REQUEST);
          const durations = await testbed.metrics.points(DURATION);
          expect(totalCount(durations)).toBe(4);
          expect(durations.every((point) => point.attributes['gen_ai.provider.name'] === 'gcp.gemini')).toBe(
            true,
          );
          expect(testbed.server.responses).toHaveLength(4);
        } finally {
          patch!.unpatch(testbed.sdk);
        }
        await testbed.plainClient().models.generateContent(REQUEST);
        expect(totalCount(await testbed.metrics.points(DURATION))).toBe(4);
      });
    },
  );
}
