import { describe, expect, it } from 'vitest';
import {
  chatPromptTokens,
  embeddingInputTokens,
  errorBody,
  parseScenario,
  responseModel,
  responsesInputTokens,
  transcriptionInputTokens,
} from '../src/index.js';
import { multipartBoundary, parseMultipart } from '../src/multipart.js';
import { seededRandom, uniform } from '../src/random.js';
import { toolArguments } from '../src/reply.js';

describe('parseScenario', () => {
  it('reads flags and numeric directives, later ones winning', () => {
    expect(parseScenario('error:429, fail-times:2,hang,no-usage,chunks:3,chunks:5')).toEqual({
      raw: 'error:429, fail-times:2,hang,no-usage,chunks:3,chunks:5',
      error: 429,
      failTimes: 2,
      hang: true,
      noUsage: true,
      chunks: 5,
    });
    expect(
      parseScenario('slow-first-chunk:300,chunk-delay:20,cut-after:4,cached:1,reasoning:2'),
    ).toMatchObject({
      slowFirstChunkMs: 300,
      chunkDelayMs: 20,
      cutAfter: 4,
      cached: 1,
      reasoning: 2,
    });
    expect(parseScenario(undefined)).toEqual({ hang: false, noUsage: false });
    expect(parseScenario(' ')).toEqual({ hang: false, noUsage: false });
  });

  it('rejects unknown directives, missing or bad numbers, values on flags and non-error statuses', () => {
    expect(() => parseScenario('slow:3')).toThrow("Unknown scenario directive 'slow'");
    expect(() => parseScenario('chunks')).toThrow('non-negative integer');
    expect(() => parseScenario('chunks:-1')).toThrow('non-negative integer');
    expect(() => parseScenario('hang:1')).toThrow('takes no value');
    expect(() => parseScenario('error:200')).toThrow('400-599');
  });
});

describe('responseModel', () => {
  it('appends the snapshot date unless the model already ends with one', () => {
    expect(responseModel('gpt-4o-mini')).toBe('gpt-4o-mini-2024-07-18');
    expect(responseModel('gpt-4o-2024-08-06')).toBe('gpt-4o-2024-08-06');
    expect(responseModel('o4-mini')).toBe('o4-mini-2024-07-18');
  });
});

describe('token counting', () => {
  it('counts 3 per message plus the words of string and text-part contents', () => {
    expect(
      chatPromptTokens([
        { role: 'system', content: 'Be  brief.\n' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'one two' },
            { type: 'image_url', image_url: { url: 'x' } },
          ],
        },
        { role: 'assistant', content: null },
      ]),
    ).toBe(3 + 2 + 3 + 2 + 3);
    expect(responsesInputTokens('a b c', 'x y')).toBe(3 + 3 + 3 + 2);
    expect(embeddingInputTokens(['a b', 'c'])).toBe(3);
    expect(embeddingInputTokens([1, 2, 3])).toBe(3);
    expect(embeddingInputTokens([[1, 2], [3]])).toBe(3);
    expect(transcriptionInputTokens(1234)).toBe(13);
    expect(transcriptionInputTokens(0)).toBe(0);
  });
});

describe('errorBody', () => {
  it('gives each status the type and code OpenAI uses', () => {
    expect(errorBody(429).error).toMatchObject({ type: 'rate_limit_exceeded', code: 'rate_limit_exceeded' });
    expect(errorBody(503).error).toMatchObject({ type: 'server_error', code: 'service_unavailable' });
    expect(errorBody(418).error).toMatchObject({ type: 'invalid_request_error', param: null });
    expect(errorBody(404, { code: null }).error.code).toBeNull();
  });
});

describe('toolArguments', () => {
  it('puts a placeholder of the right type for each property of the first tool', () => {
    const tools = [
      {
        type: 'function',
        function: {
          name: 'book',
          parameters: {
            type: 'object',
            properties: {
              city: { type: 'string' },
              nights: { type: 'integer' },
              breakfast: { type: 'boolean' },
              room: { type: 'string', enum: ['double', 'single'] },
              extras: { type: 'array' },
            },
          },
        },
      },
    ];
    expect(JSON.parse(toolArguments(tools))).toEqual({
      city: 'test',
      nights: 1,
      breakfast: true,
      room: 'double',
      extras: [],
    });
    expect(toolArguments([{ type: 'function', name: 'ping' }])).toBe('{}');
  });
});

describe('parseMultipart', () => {
  it('reads text fields, repeated fields and file sizes', () => {
    const boundary = '----form123';
    const file = Buffer.from([0, 13, 10, 45, 45, 255]);
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="model"\r\n\r\nwhisper-1\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="timestamp_granularities[]"\r\n\r\nword\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="timestamp_granularities[]"\r\n\r\nsegment\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a \\"b\\".wav"\r\n` +
          'Content-Type: audio/wav\r\n\r\n',
      ),
      file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    expect(multipartBoundary(`multipart/form-data; boundary=${boundary}`)).toBe(boundary);
    expect(multipartBoundary('multipart/form-data; boundary="quoted"')).toBe('quoted');
    expect(multipartBoundary('application/json')).toBeUndefined();
    expect(parseMultipart(body, boundary)).toEqual({
      fields: { model: 'whisper-1', 'timestamp_granularities[]': ['word', 'segment'] },
      files: { file: { filename: 'a "b".wav', contentType: 'audio/wav', size: 6 } },
    });
  });
});

describe('seededRandom', () => {
  it('repeats for a seed, stays in [0, 1), and uniform() stays in its range', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const values = Array.from({ length: 100 }, () => a());
    expect(Array.from({ length: 100 }, () => b())).toEqual(values);
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    const random = seededRandom(1);
    for (let index = 0; index < 100; index += 1) {
      const delay = uniform(random, [10, 20]);
      expect(delay).toBeGreaterThanOrEqual(10);
      expect(delay).toBeLessThanOrEqual(20);
    }
  });
});
