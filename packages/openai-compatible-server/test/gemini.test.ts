import { performance } from 'node:perf_hooks';
import { beforeAll, describe, expect, it } from 'vitest';
import { collect, type GeminiSdk, geminiClientFor, REPLY, startServer } from './support.js';

// (3 + 2) for the system instruction + (3 + 5) for the user content = 13.
const REQUEST = {
  model: 'gemini-2.5-flash',
  contents: 'Say hello to the test',
  config: { systemInstruction: 'Be terse.' },
};
const WORDS = REPLY.split(' ');
const deltaText = (index: number) => (index === 0 ? WORDS[0] : ` ${WORDS[index]}`);
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

const text = (tokenCount: number) => [{ modality: 'TEXT', tokenCount }];

/** `x-test-scenario` for one call, where the Gemini client takes headers. */
function scenario(value: string) {
  return { httpOptions: { headers: { 'x-test-scenario': value } } };
}

/** The usage Gemini reports once `candidates` reply tokens are out; `final` adds the candidates' details. */
function usageMetadata(
  prompt: number,
  candidates: number,
  final: boolean,
  extra: { cached?: number; thoughts?: number } = {},
) {
  return {
    promptTokenCount: prompt,
    candidatesTokenCount: candidates,
    totalTokenCount: prompt + candidates + (extra.thoughts ?? 0),
    ...(extra.cached === undefined ? {} : { cachedContentTokenCount: extra.cached }),
    promptTokensDetails: text(prompt),
    ...(extra.cached === undefined ? {} : { cacheTokensDetails: text(extra.cached) }),
    ...(final ? { candidatesTokensDetails: text(candidates) } : {}),
    ...(extra.thoughts === undefined ? {} : { thoughtsTokenCount: extra.thoughts }),
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (caught: unknown) => caught,
  );
}

/** Each major, the Node it needs, and the Gemini API version it posts to by default (3.x moved to v1). */
const MAJORS: { major: number; minNode: number; apiVersion: string; load: () => Promise<GeminiSdk> }[] = [
  {
    major: 1,
    minNode: 20,
    apiVersion: 'v1beta',
    load: async () => (await import('google-genai-1')) as unknown as GeminiSdk,
  },
  { major: 2, minNode: 20, apiVersion: 'v1beta', load: () => import('@google/genai') },
  // 3.x needs Node 22.
  {
    major: 3,
    minNode: 22,
    apiVersion: 'v1',
    load: async () => (await import('google-genai-3')) as unknown as GeminiSdk,
  },
];

for (const { major, minNode, apiVersion, load } of MAJORS) {
  const models = `/${apiVersion}/models`;
  describe.skipIf(NODE_MAJOR < minNode)(`the Gemini API with @google/genai ${major}.x`, () => {
    let sdk: GeminiSdk;
    beforeAll(async () => {
      sdk = await load();
    });

    it('generateContent: the reply, STOP, the model as sent, and usage equal to the record', async () => {
      const server = await startServer();
      const response = await geminiClientFor(sdk, server).models.generateContent(REQUEST);

      expect(response.candidates).toEqual([
        { content: { parts: [{ text: REPLY }], role: 'model' }, finishReason: 'STOP', index: 0 },
      ]);
      expect(response.text).toBe(REPLY);
      expect(response.modelVersion).toBe('gemini-2.5-flash');
      expect(response.responseId).toMatch(/^[A-Za-z0-9]{22}$/);
      expect(response.usageMetadata).toEqual(usageMetadata(13, 12, true));
      expect(server.requests[0]).toMatchObject({
        method: 'POST',
        path: `${models}/gemini-2.5-flash:generateContent`,
        headers: { 'x-goog-api-key': 'test' },
      });
      expect(server.responses).toEqual([
        {
          path: `${models}/gemini-2.5-flash:generateContent`,
          model: 'gemini-2.5-flash',
          status: 200,
          stream: false,
          requestId: response.responseId,
          usage: { input: 13, output: 12, cachedInput: 0, reasoningOutput: 0 },
        },
      ]);
    });

    it('generateContentStream: one chunk per word, each with the usage so far, the last one final', async () => {
      const server = await startServer();
      const chunks = await collect(await geminiClientFor(sdk, server).models.generateContentStream(REQUEST));

      expect(chunks.map((chunk) => chunk.text)).toEqual(WORDS.map((_, index) => deltaText(index)));
      expect(chunks.map((chunk) => chunk.usageMetadata)).toEqual(
        WORDS.map((_, index) => usageMetadata(13, index + 1, index === WORDS.length - 1)),
      );
      expect(chunks.map((chunk) => chunk.candidates?.[0]?.finishReason)).toEqual([
        ...WORDS.slice(1).map(() => undefined),
        'STOP',
      ]);
      const responseId = chunks[0]?.responseId;
      expect(
        chunks.every((chunk) => chunk.responseId === responseId && chunk.modelVersion === 'gemini-2.5-flash'),
      ).toBe(true);
      expect(server.requests[0]?.path).toBe(`${models}/gemini-2.5-flash:streamGenerateContent`);
      expect(server.responses).toEqual([
        {
          path: `${models}/gemini-2.5-flash:streamGenerateContent`,
          model: 'gemini-2.5-flash',
          status: 200,
          stream: true,
          requestId: responseId,
          usage: { input: 13, output: 12, cachedInput: 0, reasoningOutput: 0 },
          chunks: 12,
        },
      ]);
    });

    it('cache-read and thoughts: the prompt count includes the cached tokens; the output adds the thoughts', async () => {
      const server = await startServer();
      const client = geminiClientFor(sdk, server);
      const response = await client.models.generateContent({
        ...REQUEST,
        config: { ...REQUEST.config, ...scenario('cache-read:5,thoughts:4') },
      });
      expect(response.usageMetadata).toEqual(usageMetadata(13, 12, true, { cached: 5, thoughts: 4 }));
      expect(server.responses[0]?.usage).toEqual({
        input: 13,
        output: 16,
        cachedInput: 5,
        reasoningOutput: 4,
      });

      const chunks = await collect(
        await client.models.generateContentStream({
          ...REQUEST,
          config: { ...REQUEST.config, ...scenario('cached:99,reasoning:2,chunks:2') },
        }),
      );
      expect(chunks.map((chunk) => chunk.usageMetadata)).toEqual([
        usageMetadata(13, 1, false, { cached: 13, thoughts: 2 }),
        usageMetadata(13, 2, true, { cached: 13, thoughts: 2 }),
      ]);
      expect(server.responses[1]?.usage).toEqual({
        input: 13,
        output: 4,
        cachedInput: 13,
        reasoningOutput: 2,
      });
    });

    it('stops at maxOutputTokens with MAX_TOKENS; chunks:<n> shortens the reply with STOP', async () => {
      const server = await startServer();
      const client = geminiClientFor(sdk, server);
      const cut = await client.models.generateContent({ ...REQUEST, config: { maxOutputTokens: 3 } });
      expect(cut.text).toBe('Hello! This is');
      expect(cut.candidates?.[0]?.finishReason).toBe('MAX_TOKENS');
      expect(cut.usageMetadata).toEqual(usageMetadata(8, 3, true));
      const short = await client.models.generateContent({ ...REQUEST, config: scenario('chunks:2') });
      expect(short.text).toBe('Hello! This');
      expect(short.candidates?.[0]?.finishReason).toBe('STOP');
    });

    it('reads directives from a model suffix and records the model without it', async () => {
      const server = await startServer();
      const response = await geminiClientFor(sdk, server).models.generateContent({
        ...REQUEST,
        model: 'gemini-2.5-pro@thoughts:3',
      });
      expect(response.modelVersion).toBe('gemini-2.5-pro');
      expect(response.usageMetadata).toEqual(usageMetadata(13, 12, true, { thoughts: 3 }));
      expect(server.responses[0]).toMatchObject({ model: 'gemini-2.5-pro', scenario: 'thoughts:3' });
    });

    it('no-usage leaves usageMetadata out, and the record without usage', async () => {
      const server = await startServer();
      const response = await geminiClientFor(sdk, server).models.generateContent({
        ...REQUEST,
        config: scenario('no-usage'),
      });
      expect(response.text).toBe(REPLY);
      expect(response.usageMetadata).toBeUndefined();
      expect(server.responses[0]?.usage).toBeUndefined();
    });

    it.each([
      [429, 'RESOURCE_EXHAUSTED'],
      [503, 'UNAVAILABLE'],
      [400, 'INVALID_ARGUMENT'],
      [500, 'INTERNAL'],
    ])(
      'error:%i is a Gemini error body, thrown as an ApiError with that status, streamed or not',
      async (code, status) => {
        const server = await startServer();
        const client = geminiClientFor(sdk, server);
        for (const call of [
          () => client.models.generateContent({ ...REQUEST, config: scenario(`error:${code}`) }),
          () => client.models.generateContentStream({ ...REQUEST, config: scenario(`error:${code}`) }),
        ]) {
          const error = await rejection(call());
          expect(error).toBeInstanceOf(sdk.ApiError);
          expect((error as InstanceType<GeminiSdk['ApiError']>).status).toBe(code);
          expect(JSON.parse((error as Error).message)).toEqual({
            error: { code, message: expect.any(String), status },
          });
        }
        expect(server.responses.map((response) => [response.status, response.stream])).toEqual([
          [code, false],
          [code, false],
        ]);
      },
    );

    it('slow-first-chunk delays the first chunk; cut-after:<n> drops the connection after n chunks', async () => {
      const server = await startServer();
      const client = geminiClientFor(sdk, server);
      const started = performance.now();
      const stream = await client.models.generateContentStream({
        ...REQUEST,
        config: scenario('slow-first-chunk:150'),
      });
      let firstChunkMs: number | undefined;
      for await (const _ of stream) firstChunkMs ??= performance.now() - started;
      expect(firstChunkMs).toBeGreaterThanOrEqual(145);

      const cut = await client.models.generateContentStream({ ...REQUEST, config: scenario('cut-after:2') });
      const seen: (string | undefined)[] = [];
      const error = await (async () => {
        for await (const chunk of cut) seen.push(chunk.text);
      })().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(sdk.ApiError);
      expect(seen).toEqual(['Hello!', ' This']);
      expect(server.responses[1]).toMatchObject({ status: 200, stream: true, chunks: 2, cut: true });
      expect(server.responses[1]?.usage).toBeUndefined();
    });

    it('embedContent: batchEmbedContents, one vector per content, same text same vector, no usage (Gemini reports none)', async () => {
      const server = await startServer();
      const client = geminiClientFor(sdk, server);
      const response = await client.models.embedContent({
        model: 'gemini-embedding-001',
        contents: ['one two', 'three', 'one two'],
        config: { outputDimensionality: 4 },
      });
      const vectors = response.embeddings?.map((embedding) => embedding.values);
      expect(vectors?.map((values) => values?.length)).toEqual([4, 4, 4]);
      expect(vectors?.[2]).toEqual(vectors?.[0]);
      expect(vectors?.[1]).not.toEqual(vectors?.[0]);
      expect(server.requests[0]?.path).toBe(`${models}/gemini-embedding-001:batchEmbedContents`);
      expect(server.responses).toEqual([
        {
          path: `${models}/gemini-embedding-001:batchEmbedContents`,
          model: 'gemini-embedding-001',
          status: 200,
          stream: false,
          requestId: expect.stringMatching(/^[A-Za-z0-9]{22}$/),
        },
      ]);
    });

    it('countTokens: the prompt tokens, not recorded as usage', async () => {
      const server = await startServer();
      const counted = await geminiClientFor(sdk, server).models.countTokens({
        model: 'gemini-2.5-flash',
        contents: 'Say hello to the test',
      });
      expect(counted.totalTokens).toBe(8);
      expect(server.responses[0]).toMatchObject({
        path: `${models}/gemini-2.5-flash:countTokens`,
        status: 200,
      });
      expect(server.responses[0]?.usage).toBeUndefined();
    });
  });

  describe.skipIf(NODE_MAJOR < minNode)(`Vertex AI (express mode) with @google/genai ${major}.x`, () => {
    let sdk: GeminiSdk;
    beforeAll(async () => {
      sdk = await load();
    });

    it('generateContent and the stream on the publishers/google path, with createTime and trafficType', async () => {
      const server = await startServer();
      const client = geminiClientFor(sdk, server, { vertexai: true });
      const response = await client.models.generateContent({
        ...REQUEST,
        config: { ...REQUEST.config, ...scenario('cache-read:2') },
      });
      expect(response.text).toBe(REPLY);
      expect(response.createTime).toEqual(expect.any(String));
      expect(response.usageMetadata).toEqual({
        ...usageMetadata(13, 12, true, { cached: 2 }),
        trafficType: 'ON_DEMAND',
      });
      const chunks = await collect(await client.models.generateContentStream(REQUEST));
      expect(chunks.at(-1)?.usageMetadata).toEqual({
        ...usageMetadata(13, 12, true),
        trafficType: 'ON_DEMAND',
      });
      expect(server.requests.map((request) => request.path)).toEqual([
        '/v1beta1/publishers/google/models/gemini-2.5-flash:generateContent',
        '/v1beta1/publishers/google/models/gemini-2.5-flash:streamGenerateContent',
      ]);
      expect(server.responses.map((recorded) => recorded.usage)).toEqual([
        { input: 13, output: 12, cachedInput: 2, reasoningOutput: 0 },
        { input: 13, output: 12, cachedInput: 0, reasoningOutput: 0 },
      ]);
    });

    it("embedContent on a text-embedding model: :predict, with each content's token count", async () => {
      const server = await startServer();
      const response = await geminiClientFor(sdk, server, { vertexai: true }).models.embedContent({
        model: 'text-embedding-005',
        contents: ['one two', 'three'],
      });
      expect(response.embeddings?.map((embedding) => embedding.statistics?.tokenCount)).toEqual([2, 1]);
      expect(response.embeddings?.map((embedding) => embedding.values?.length)).toEqual([8, 8]);
      expect(server.responses).toEqual([
        {
          path: '/v1beta1/publishers/google/models/text-embedding-005:predict',
          model: 'text-embedding-005',
          status: 200,
          stream: false,
          requestId: expect.stringMatching(/^[A-Za-z0-9]{22}$/),
          usage: { input: 3, output: 0, cachedInput: 0, reasoningOutput: 0 },
        },
      ]);
    });

    it('an error is a Gemini error body there too', async () => {
      const server = await startServer();
      const error = await rejection(
        geminiClientFor(sdk, server, { vertexai: true }).models.generateContent({
          ...REQUEST,
          model: 'gemini-2.5-flash@error:429',
        }),
      );
      expect(error).toBeInstanceOf(sdk.ApiError);
      expect((error as InstanceType<GeminiSdk['ApiError']>).status).toBe(429);
    });
  });
}

describe('Gemini paths without the client', () => {
  it('serves the Vertex AI project path, streams SSE data lines, and refuses a stream without alt=sse', async () => {
    const server = await startServer();
    const path = '/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-flash';
    const body = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] });
    const response = await fetch(`${server.url}${path}:streamGenerateContent?alt=sse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-test-scenario': 'chunks:2' },
      body,
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const events = (await response.text()).split('\n\n').filter((event) => event !== '');
    expect(
      events.map((event) => JSON.parse(event.replace(/^data: /, '')).candidates[0].content.parts[0].text),
    ).toEqual(['Hello!', ' This']);
    expect(server.responses[0]).toMatchObject({
      path: `${path}:streamGenerateContent`,
      usage: { input: 4, output: 2 },
    });

    const noSse = await fetch(`${server.url}${path}:streamGenerateContent`, { method: 'POST', body });
    expect(noSse.status).toBe(400);
    expect(await noSse.json()).toEqual({
      error: {
        code: 400,
        message: 'This server streams only server-sent events: add ?alt=sse.',
        status: 'INVALID_ARGUMENT',
      },
    });
  });

  it('answers a request without contents 400 INVALID_ARGUMENT, in JSON with charset, as Gemini does', async () => {
    const server = await startServer();
    const response = await fetch(`${server.url}/v1beta/models/gemini-2.5-flash:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    expect(await response.json()).toEqual({
      error: {
        code: 400,
        message: '* GenerateContentRequest.contents: contents is not specified',
        status: 'INVALID_ARGUMENT',
      },
    });
  });
});
