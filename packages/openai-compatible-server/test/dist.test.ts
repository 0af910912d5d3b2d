// The built package, as the instrumentation tests and the demo load it: both module systems, and
// a process that exits by itself once close() has ended a hung request and a slow stream.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const run = promisify(execFile);

const SCRIPT = `
const { startOpenAICompatibleServer } = await import(process.argv[1]);
const server = await startOpenAICompatibleServer();
const post = (scenario, body) =>
  fetch(server.baseURL + '/chat/completions', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-test-scenario': scenario },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], ...body }),
  }).then((response) => response.text()).catch(() => 'failed');
const hung = post('hang', {});
const slow = post('chunk-delay:60000', { stream: true });
while (server.requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
await server.close();
console.log(JSON.stringify([await hung, await slow]));
`;

describe('the built package', () => {
  it('loads with require() and import', async () => {
    const require = createRequire(import.meta.url);
    const cjs = require(`${dist}cjs/index.js`) as typeof import('../src/index.js');
    const esm = (await import(`${dist}esm/index.js`)) as typeof import('../src/index.js');
    for (const module of [cjs, esm]) {
      const server = await module.startOpenAICompatibleServer();
      const response = await fetch(`${server.baseURL}/models`);
      expect(response.status).toBe(200);
      await server.close();
    }
  });

  it('lets the process exit on its own after close(), with requests still pending', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--input-type=module', '-e', SCRIPT, `${dist}esm/index.js`],
      {
        timeout: 10_000,
      },
    );
    expect(JSON.parse(stdout)).toEqual(['failed', 'failed']);
  });
});
