import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BUILT_IN_PRICES,
  emitsLegacySystemAttribute,
  withoutSnapshotSuffix,
} from '@va/instrumentation-genai';
import { describe, expect, it } from 'vitest';
import { optionsFromEnvironment } from '../src/environment-options.js';
import { errorTypeOf, PACKAGE_VERSION } from '../src/index.js';
import { resolveSettings } from '../src/options.js';
import { endpointOf } from '../src/provider.js';
import { readUsage } from '../src/usage.js';

describe('provider and server from the base URL', () => {
  it('names the well-known providers, else the host, with the port the URL implies', () => {
    expect(endpointOf('https://api.openai.com/v1', false)).toEqual({
      providerName: 'openai',
      serverAddress: 'api.openai.com',
      serverPort: 443,
    });
    expect(endpointOf('https://my-resource.openai.azure.com/openai', false).providerName).toBe(
      'azure.ai.openai',
    );
    expect(endpointOf('https://gateway.example.com/openai', true).providerName).toBe('azure.ai.openai');
    expect(endpointOf('https://api.groq.com/openai/v1', false).providerName).toBe('groq');
    expect(endpointOf('http://127.0.0.1:8080/v1', false)).toEqual({
      providerName: '127.0.0.1',
      serverAddress: '127.0.0.1',
      serverPort: 8080,
    });
    expect(endpointOf('http://[::1]/v1', false)).toEqual({
      providerName: '::1',
      serverAddress: '::1',
      serverPort: 80,
    });
    // Realtime connections dial WebSocket URLs.
    expect(endpointOf('wss://api.openai.com/v1/realtime?model=gpt-realtime', false).serverPort).toBe(443);
    expect(endpointOf('ws://localhost/v1/realtime', false).serverPort).toBe(80);
    expect(endpointOf('not a url', false)).toEqual({
      providerName: 'openai',
      serverAddress: undefined,
      serverPort: undefined,
    });
  });
});

describe('prices', () => {
  it('keeps only the user table when the built-in one is turned off', () => {
    const settings = resolveSettings({ builtInPrices: false, prices: { mine: { input: 1 } } });
    expect(settings.priceOf('gpt-4o')).toBeUndefined();
    expect(settings.priceOf('mine')).toEqual({ input: 1 });
  });
});

describe('usage', () => {
  it('reads both spellings exactly as reported, and nothing from duration-based audio usage', () => {
    expect(
      readUsage({
        prompt_tokens: 10,
        completion_tokens: 20,
        prompt_tokens_details: { cached_tokens: 4 },
        completion_tokens_details: { reasoning_tokens: 6 },
      }),
    ).toEqual({ input: 10, output: 20, cachedInput: 4, reasoningOutput: 6 });
    expect(
      readUsage({
        input_tokens: 7,
        output_tokens: 9,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens_details: { reasoning_tokens: 2 },
      }),
    ).toEqual({ input: 7, output: 9, cachedInput: 0, reasoningOutput: 2 });
    expect(readUsage({ prompt_tokens: 5, total_tokens: 5 })).toEqual({
      input: 5,
      output: undefined,
      cachedInput: undefined,
      reasoningOutput: undefined,
    });
    expect(readUsage({ type: 'duration', seconds: 3 })).toBeUndefined();
    expect(readUsage(null)).toBeUndefined();
  });
});

describe('error.type', () => {
  class RateLimitError extends Error {
    status = 429;
  }
  class APIUserAbortError extends Error {}
  class APIConnectionTimeoutError extends Error {}
  class APIConnectionError extends Error {}

  it('uses the status code, canceled, timeout, else the class name', () => {
    expect(errorTypeOf(new RateLimitError())).toBe('429');
    expect(errorTypeOf(new APIUserAbortError())).toBe('canceled');
    expect(errorTypeOf(Object.assign(new Error('x'), { name: 'AbortError' }))).toBe('canceled');
    expect(errorTypeOf(new APIConnectionTimeoutError())).toBe('timeout');
    expect(errorTypeOf(new APIConnectionError())).toBe('APIConnectionError');
    expect(errorTypeOf(new TypeError('terminated'))).toBe('TypeError');
    expect(errorTypeOf('a string')).toBe('_OTHER');
    expect(errorTypeOf({ status: 'nope' })).toBe('_OTHER');
  });
});

describe('options', () => {
  it('strips snapshot suffixes only when asked', () => {
    expect(withoutSnapshotSuffix('gpt-4o-2024-08-06')).toBe('gpt-4o');
    expect(withoutSnapshotSuffix('gpt-4-0613')).toBe('gpt-4');
    expect(withoutSnapshotSuffix('gpt-4o-mini')).toBe('gpt-4o-mini');
    expect(resolveSettings().normalizeModel).toBeUndefined();
    expect(resolveSettings({ normalizeModelNames: true }).normalizeModel?.('o3-2025-04-16')).toBe('o3');
  });

  it('reads gen_ai/dup from OTEL_SEMCONV_STABILITY_OPT_IN; gen_ai_latest_experimental changes nothing', () => {
    expect(emitsLegacySystemAttribute({})).toBe(false);
    expect(emitsLegacySystemAttribute({ OTEL_SEMCONV_STABILITY_OPT_IN: 'gen_ai_latest_experimental' })).toBe(
      false,
    );
    expect(emitsLegacySystemAttribute({ OTEL_SEMCONV_STABILITY_OPT_IN: 'http, gen_ai/dup' })).toBe(true);
  });

  it("layers a client's options over the process defaults from VA_GENAI_*, prices merged", () => {
    const pricesFile = join(mkdtempSync(join(tmpdir(), 'va-prices-')), 'prices.json');
    writeFileSync(pricesFile, JSON.stringify({ a: { input: 1 } }));
    const defaults = optionsFromEnvironment({
      VA_GENAI_PROVIDER_NAME: 'gateway',
      VA_GENAI_PRICES_FILE: pricesFile,
      VA_GENAI_REQUEST_STREAM_USAGE: 'false',
    });
    const settings = resolveSettings({ prices: { b: { input: 2 } }, providerName: undefined }, defaults);
    expect(settings.providerName).toBe('gateway');
    expect(settings.requestStreamUsage).toBe(false);
    expect(settings.priceOf('a')).toEqual({ input: 1 });
    expect(settings.priceOf('b')).toEqual({ input: 2 });
    expect(resolveSettings({ providerName: 'mine' }, defaults).providerName).toBe('mine');
  });

  it('takes the documented defaults from an empty environment', () => {
    const settings = resolveSettings({}, optionsFromEnvironment({}));
    expect(settings).toMatchObject({
      providerName: undefined,
      requestStreamUsage: true,
      normalizeModel: undefined,
      agentNameOnLLMMetrics: false,
    });
    expect(settings.priceOf('gpt-4o-mini')).toEqual(BUILT_IN_PRICES['gpt-4o-mini']);
  });

  it('keeps the scope version equal to the package version', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(PACKAGE_VERSION).toBe(manifest.version);
  });
});
