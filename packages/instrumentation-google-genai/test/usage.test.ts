import { describe, expect, it } from 'vitest';
import { readEmbeddingUsage, readGeminiUsage } from '../src/usage.js';

const details = (...entries: [string, number][]) =>
  entries.map(([modality, tokenCount]) => ({ modality, tokenCount }));

describe('readGeminiUsage', () => {
  it('input is promptTokenCount (cached included), output candidates plus thoughts, thoughts also reasoning', () => {
    expect(
      readGeminiUsage({
        promptTokenCount: 120,
        candidatesTokenCount: 30,
        thoughtsTokenCount: 50,
        cachedContentTokenCount: 100,
        totalTokenCount: 200,
      }),
    ).toEqual({
      input: 120,
      output: 80,
      cachedInput: 100,
      reasoningOutput: 50,
      inputByModality: undefined,
      cachedInputByModality: undefined,
      outputByModality: undefined,
    });
  });

  it('splits by modality only where the details add up and name text, audio or image only', () => {
    expect(
      readGeminiUsage({
        promptTokenCount: 70,
        candidatesTokenCount: 12,
        cachedContentTokenCount: 40,
        promptTokensDetails: details(['TEXT', 20], ['AUDIO', 30], ['IMAGE', 20]),
        cacheTokensDetails: details(['AUDIO', 40]),
        candidatesTokensDetails: details(['TEXT', 12]),
      }),
    ).toMatchObject({
      inputByModality: { text: 20, audio: 30, image: 20 },
      cachedInputByModality: { audio: 40 },
      outputByModality: { text: 12 },
    });
    // VIDEO has no gen_ai.token.modality value; details short of the total leave tokens out.
    expect(
      readGeminiUsage({
        promptTokenCount: 70,
        candidatesTokenCount: 12,
        thoughtsTokenCount: 3,
        promptTokensDetails: details(['TEXT', 20], ['VIDEO', 50]),
        candidatesTokensDetails: details(['TEXT', 12]),
      }),
    ).toMatchObject({ input: 70, output: 15, inputByModality: undefined, outputByModality: undefined });
  });

  it('reads nothing from a usage without counts, or what is not a usage', () => {
    expect(readGeminiUsage({ promptTokensDetails: [] })).toBeUndefined();
    expect(readGeminiUsage(undefined)).toBeUndefined();
    expect(readGeminiUsage({ promptTokenCount: -1, candidatesTokenCount: 'many' })).toBeUndefined();
  });
});

describe('readEmbeddingUsage', () => {
  it("adds up Vertex AI's per-content token counts; the Gemini API's embeddings carry none", () => {
    expect(
      readEmbeddingUsage({
        embeddings: [{ statistics: { tokenCount: 2 } }, { statistics: { tokenCount: 5 } }],
      }),
    ).toEqual({ input: 7 });
    expect(readEmbeddingUsage({ embeddings: [{ values: [0.1] }] })).toBeUndefined();
    expect(readEmbeddingUsage({})).toBeUndefined();
  });
});
