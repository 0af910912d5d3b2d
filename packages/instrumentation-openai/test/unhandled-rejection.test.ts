import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type StartedServer, startOpenAICompatibleServer } from '@va/openai-compatible-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENAI_MAJORS, openAIResolver } from './support/openai-majors.js';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));

/**
 * What a failing call nobody awaits does to the process must not change with us: no unhandled
 * rejection of ours, none of the SDK's swallowed. Run in a child process, since the test runner
 * treats unhandled rejections as failures of its own; asynchronously, since the server answering
 * the child runs in this process.
 */
async function unawaitedFailure(major: number, instrumented: boolean, baseURL: string): Promise<string> {
  const openai = openAIResolver(major);
  const script = `
    const OpenAI = require(${JSON.stringify(openai.require.resolve(openai.name))}).OpenAI;
    const { instrumentOpenAI } = require('./dist/cjs/index.js');
    process.on('unhandledRejection', (error) => { console.log('unhandled ' + error.constructor.name); process.exit(0); });
    setTimeout(() => { console.log('no unhandled rejection'); process.exit(0); }, 1500);
    let client = new OpenAI({ apiKey: 'test', baseURL: ${JSON.stringify(baseURL)}, maxRetries: 0 });
    if (${instrumented}) client = instrumentOpenAI(client);
    client.chat.completions.create({ model: 'gpt-4o-mini', messages: [] }, { headers: { 'x-test-scenario': 'error:429' } });
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], {
    cwd: PACKAGE,
    timeout: 15_000,
  });
  return stdout.trim();
}

describe('an unawaited failing call', () => {
  let server: StartedServer;
  beforeAll(async () => {
    server = await startOpenAICompatibleServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it.each(OPENAI_MAJORS)('openai %i: ends the same with and without us', async (major) => {
    server.reset();
    const without = await unawaitedFailure(major, false, server.baseURL);
    expect(['no unhandled rejection', 'unhandled RateLimitError']).toContain(without);
    expect(await unawaitedFailure(major, true, server.baseURL)).toBe(without);
    expect(server.requests).toHaveLength(2);
  });
});
