import { setTimeout as sleep } from 'node:timers/promises';
import { instrumentOpenAI } from '@va/instrumentation-openai';
import { type StartedServer, startOpenAICompatibleServer } from '@va/openai-compatible-server';
import OpenAI from 'openai6';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instrumentModel } from '../src/index.js';
import { loadMajor, type Major } from './support/ai-majors.js';
import { TestMetrics } from './support/metrics.js';

const DURATION = 'gen_ai.client.operation.duration';

/**
 * A provider of one's own over the `openai` client (the AI SDK's own providers call `fetch`): a
 * LanguageModelV2 whose doGenerate awaits before it calls the client, as real ones do.
 */
function modelOverClient(client: OpenAI) {
  return {
    specificationVersion: 'v2',
    provider: 'my-gateway.chat',
    modelId: 'gpt-4o-mini',
    supportedUrls: {},
    async doGenerate() {
      await sleep(1);
      const completion = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'Say hello' }],
      });
      return {
        content: [{ type: 'text', text: completion.choices[0]?.message.content ?? '' }],
        finishReason: 'stop',
        usage: {
          inputTokens: completion.usage?.prompt_tokens,
          outputTokens: completion.usage?.completion_tokens,
          totalTokens: completion.usage?.total_tokens,
        },
        warnings: [],
      };
    },
    async doStream(): Promise<never> {
      throw new Error('not used');
    },
  };
}

describe('a provider built on a client we also measure', () => {
  let sdk: Major;
  let server: StartedServer;

  beforeAll(async () => {
    sdk = await loadMajor(5);
    server = await startOpenAICompatibleServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('records each inference once: the AI SDK call, not the client call inside it', async () => {
    const metrics = new TestMetrics();
    const options = { meterProvider: metrics.meterProvider };
    const client = instrumentOpenAI(
      new OpenAI({ apiKey: 'test', baseURL: server.baseURL, maxRetries: 0 }),
      options,
    );
    const model = instrumentModel(modelOverClient(client), options);
    await sdk.ai.generateText({ model, prompt: 'Say hello', maxRetries: 0 });
    await sdk.ai.generateText({ model, prompt: 'Say hello', maxRetries: 0 });
    expect(server.responses).toHaveLength(2);
    expect(
      (await metrics.points(DURATION)).map((point) => [
        point.attributes['gen_ai.provider.name'],
        point.count,
      ]),
    ).toEqual([['my-gateway', 2]]);

    // The client on its own is still measured, once per call.
    await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(
      (await metrics.points(DURATION)).map((point) => [
        point.attributes['gen_ai.provider.name'],
        point.count,
      ]),
    ).toEqual([
      ['my-gateway', 2],
      ['127.0.0.1', 1],
    ]);
    await metrics.shutdown();
  });
});
