import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterEach } from 'vitest';
import {
  type OpenAICompatibleServerOptions,
  type StartedServer,
  startOpenAICompatibleServer,
} from '../src/index.js';

const started: StartedServer[] = [];

// Every server a test starts is closed after it, whatever the test's outcome.
afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.close()));
});

export async function startServer(options?: OpenAICompatibleServerOptions): Promise<StartedServer> {
  const server = await startOpenAICompatibleServer(options);
  started.push(server);
  return server;
}

/** The real client, without retries unless asked, and with a timeout so a bug cannot hang a test. */
export function clientFor(
  server: StartedServer,
  options: { maxRetries?: number; timeout?: number } = {},
): OpenAI {
  return new OpenAI({
    apiKey: 'test',
    baseURL: server.baseURL,
    maxRetries: options.maxRetries ?? 0,
    timeout: options.timeout ?? 10_000,
  });
}

/** The real Anthropic client, set up as `clientFor` sets up the openai one. */
export function anthropicClientFor(
  server: StartedServer,
  options: { maxRetries?: number; timeout?: number } = {},
): Anthropic {
  return new Anthropic({
    apiKey: 'test',
    baseURL: server.anthropicBaseURL,
    maxRetries: options.maxRetries ?? 0,
    timeout: options.timeout ?? 10_000,
  });
}

/** The `@google/genai` module, of whichever major a test loads. */
export type GeminiSdk = typeof import('@google/genai');

/** A real `@google/genai` client on the server: the Gemini API, or Vertex AI in express mode (an API key, no project). */
export function geminiClientFor(
  sdk: GeminiSdk,
  server: StartedServer,
  options: { vertexai?: boolean } = {},
): InstanceType<GeminiSdk['GoogleGenAI']> {
  return new sdk.GoogleGenAI({
    apiKey: 'test',
    vertexai: options.vertexai ?? false,
    httpOptions: { baseUrl: server.geminiBaseURL, timeout: 10_000 },
  });
}

/** Every item of a stream, in order. */
export async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of stream) items.push(item);
  return items;
}

export const REPLY = 'Hello! This is a deterministic reply from a fake OpenAI-compatible test server.';

export function scenario(value: string, key?: string): { headers: Record<string, string> } {
  return {
    headers:
      key === undefined
        ? { 'x-test-scenario': value }
        : { 'x-test-scenario': value, 'x-test-scenario-key': key },
  };
}
