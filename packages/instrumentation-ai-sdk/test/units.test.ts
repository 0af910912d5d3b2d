import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { instrumentModel, PACKAGE_VERSION, providerNameOf } from '../src/index.js';
import { embeddingUsageOf, usageOf } from '../src/usage.js';

describe('gen_ai.provider.name from the model', () => {
  it('names the well-known providers as the conventions do, else the first segment', () => {
    expect(providerNameOf('openai.chat')).toBe('openai');
    expect(providerNameOf('openai.responses')).toBe('openai');
    expect(providerNameOf('anthropic.messages')).toBe('anthropic');
    expect(providerNameOf('google.generative-ai')).toBe('gcp.gemini');
    expect(providerNameOf('google.vertex.chat')).toBe('gcp.vertex_ai');
    expect(providerNameOf('amazon-bedrock')).toBe('aws.bedrock');
    expect(providerNameOf('azure.chat')).toBe('azure.ai.openai');
    expect(providerNameOf('azure-openai.responses')).toBe('azure.ai.openai');
    expect(providerNameOf('groq.chat')).toBe('groq');
    expect(providerNameOf('mistral.chat')).toBe('mistral_ai');
    expect(providerNameOf('xai.chat')).toBe('x_ai');
    expect(providerNameOf('deepseek.chat')).toBe('deepseek');
    expect(providerNameOf('ollama.chat')).toBe('ollama');
    expect(providerNameOf('openrouter.chat')).toBe('openrouter');
    expect(providerNameOf(undefined)).toBe('_OTHER');
  });
});

describe('usage of each specification', () => {
  it('v3 and v4: the totals, with the cache and reasoning parts', () => {
    expect(
      usageOf(
        {
          inputTokens: { total: 6, noCache: 3, cacheRead: 2, cacheWrite: 1 },
          outputTokens: { total: 15, text: 12, reasoning: 3 },
        },
        undefined,
        'anthropic.messages',
      ),
    ).toEqual({ input: 6, cachedInput: 2, cacheWriteInput: 1, output: 15, reasoningOutput: 3 });
  });

  it('v2: flat counts; Anthropic reports input without its cache reads and writes', () => {
    expect(
      usageOf(
        { inputTokens: 5, outputTokens: 15, totalTokens: 20, reasoningTokens: 3, cachedInputTokens: 2 },
        undefined,
        'openai.chat',
      ),
    ).toEqual({ input: 5, cachedInput: 2, output: 15, reasoningOutput: 3 });
    expect(
      usageOf(
        { inputTokens: 3, outputTokens: 12, cachedInputTokens: 2 },
        { anthropic: { cacheCreationInputTokens: 1 } },
        'anthropic.messages',
      ),
    ).toEqual({ input: 6, cachedInput: 2, cacheWriteInput: 1, output: 12 });
  });

  it('v1: prompt and completion tokens, the cache and reasoning from the provider metadata; NaN is no count', () => {
    expect(
      usageOf(
        { promptTokens: 5, completionTokens: 15 },
        { openai: { cachedPromptTokens: 2, reasoningTokens: 3 } },
        'openai.chat',
      ),
    ).toEqual({ input: 5, cachedInput: 2, output: 15, reasoningOutput: 3 });
    expect(
      usageOf(
        { promptTokens: 3, completionTokens: 12 },
        { anthropic: { cacheReadInputTokens: 2, cacheCreationInputTokens: 1 } },
        'anthropic.messages',
      ),
    ).toEqual({ input: 6, cachedInput: 2, cacheWriteInput: 1, output: 12 });
    expect(usageOf({ promptTokens: Number.NaN, completionTokens: Number.NaN }, undefined, 'x')).toEqual({});
    expect(usageOf(undefined, undefined, 'x')).toBeUndefined();
  });

  it('embeddings: input tokens only', () => {
    expect(embeddingUsageOf({ tokens: 4 })).toEqual({ input: 4 });
    expect(embeddingUsageOf(undefined)).toBeUndefined();
  });
});

describe('instrumentModel()', () => {
  class Model {
    readonly specificationVersion = 'v2';
    readonly provider = 'openai.chat';
    readonly modelId = 'gpt-4o-mini';
    readonly config = { secret: 1 };
    get supportedUrls() {
      return this.config;
    }
    async doGenerate() {
      return { content: [], usage: { inputTokens: 1, outputTokens: 2 } };
    }
  }

  it('gives a view that reads everything from the model, and never changes the model', async () => {
    const model = new Model();
    const before = Object.getOwnPropertyNames(model);
    const view = instrumentModel(model);
    expect(view).not.toBe(model);
    expect(view).toBeInstanceOf(Model);
    expect([view.specificationVersion, view.provider, view.modelId]).toEqual([
      'v2',
      'openai.chat',
      'gpt-4o-mini',
    ]);
    expect(view.supportedUrls).toBe(model.config);
    expect(await view.doGenerate()).toEqual(await model.doGenerate());
    expect(Object.getOwnPropertyNames(model)).toEqual(before);
    expect(model.doGenerate).toBe(Model.prototype.doGenerate);
  });

  it('returns a view, or anything that is not a model, as is', () => {
    const view = instrumentModel(new Model());
    expect(instrumentModel(view)).toBe(view);
    const notAModel = { modelId: 'x' };
    expect(instrumentModel(notAModel)).toBe(notAModel);
    expect(instrumentModel('gpt-4o')).toBe('gpt-4o');
  });

  it('rethrows what the model throws, synchronously too', async () => {
    const failure = new Error('bad options');
    const model = {
      provider: 'openai.chat',
      modelId: 'm',
      doGenerate() {
        throw failure;
      },
      async doStream() {
        throw failure;
      },
    };
    const view = instrumentModel(model);
    expect(() => view.doGenerate()).toThrow(failure);
    await expect(view.doStream()).rejects.toBe(failure);
  });
});

describe('package', () => {
  it('keeps the scope version equal to the package version', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(PACKAGE_VERSION).toBe(manifest.version);
  });
});
