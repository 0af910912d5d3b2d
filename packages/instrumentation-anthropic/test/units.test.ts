import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { streamErrorTypeOf } from '../src/anthropic-call.js';
import { PACKAGE_VERSION } from '../src/index.js';
import { readAnthropicUsage, withFinalUsage } from '../src/usage.js';

describe('Anthropic usage', () => {
  it('counts cache reads and writes as input, and keeps each as its subset', () => {
    expect(
      readAnthropicUsage({
        input_tokens: 5,
        cache_read_input_tokens: 100,
        cache_creation_input_tokens: 20,
        cache_creation: { ephemeral_5m_input_tokens: 12, ephemeral_1h_input_tokens: 8 },
        output_tokens: 7,
      }),
    ).toEqual({ input: 125, output: 7, cachedInput: 100, cacheWriteInput: 20, cacheWrite1hInput: 8 });
    expect(readAnthropicUsage({ input_tokens: 5, output_tokens: 7 })).toEqual({
      input: 5,
      output: 7,
      cachedInput: undefined,
      cacheWriteInput: undefined,
      cacheWrite1hInput: undefined,
    });
    expect(readAnthropicUsage({ cache_read_input_tokens: null })).toBeUndefined();
    expect(readAnthropicUsage(null)).toBeUndefined();
  });

  it("replaces message_start's output with message_delta's cumulative one, never adding them", () => {
    const start = { input: 10, output: undefined, cachedInput: 4, cacheWriteInput: 0 };
    expect(withFinalUsage(start, { output_tokens: 15 })).toEqual({ ...start, output: 15 });
  });

  it("takes message_delta's input and cache counts as the final ones when it carries them", () => {
    const start = { input: 10, output: undefined, cachedInput: 4, cacheWriteInput: 0 };
    expect(
      withFinalUsage(start, {
        input_tokens: 3,
        cache_read_input_tokens: 9,
        cache_creation_input_tokens: 1,
        output_tokens: 15,
      }),
    ).toEqual({ input: 13, output: 15, cachedInput: 9, cacheWriteInput: 1, cacheWrite1hInput: undefined });
    expect(withFinalUsage(start, null)).toBe(start);
  });
});

describe('error.type of an error the API sent without a status', () => {
  it("reads 1.x's type, 0.x's event text, and nothing from an error with a status or an unknown type", () => {
    expect(streamErrorTypeOf({ status: undefined, type: 'overloaded_error' })).toBe('overloaded_error');
    expect(
      streamErrorTypeOf({
        message: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
      }),
    ).toBe('overloaded_error');
    expect(streamErrorTypeOf({ error: { type: 'error', error: { type: 'api_error' } } })).toBe('api_error');
    expect(streamErrorTypeOf({ status: 529, type: 'overloaded_error' })).toBeUndefined();
    expect(streamErrorTypeOf({ type: 'Overloaded: please retry' })).toBeUndefined();
    expect(streamErrorTypeOf({ message: 'Connection error.' })).toBeUndefined();
    expect(streamErrorTypeOf('overloaded_error')).toBeUndefined();
  });
});

describe('package', () => {
  it('keeps the scope version equal to the package version', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(PACKAGE_VERSION).toBe(manifest.version);
  });
});
