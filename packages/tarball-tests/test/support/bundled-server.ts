// The bundled OpenAI-compatible server, started before a test file's tests and closed after them.
import { type StartedServer, startOpenAICompatibleServer } from '@va/openai-compatible-server';
import { afterAll, beforeAll } from 'vitest';

/** Registers the server's start and close; the returned function gives the started server. */
export function useBundledServer(): () => StartedServer {
  let server: StartedServer | undefined;
  beforeAll(async () => {
    server = await startOpenAICompatibleServer();
  });
  afterAll(async () => {
    await server?.close();
  });
  return () => server!;
}
