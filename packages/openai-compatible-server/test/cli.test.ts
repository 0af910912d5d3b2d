// The bin `va-llm-server` (the built dist/cjs/cli.js), run as a user runs it: it prints its base
// URL, answers the real openai client there, and stops promptly on SIGINT (Ctrl-C) and SIGTERM,
// with a stream still open.
import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { REPLY } from './support.js';

const CLI = fileURLToPath(new URL('../dist/cjs/cli.js', import.meta.url));
const run = promisify(execFile);

const running: ChildProcessWithoutNullStreams[] = [];

afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Starts the bin and waits for its first line, which names the base URL. */
async function startCli(args: string[]): Promise<{ child: ChildProcessWithoutNullStreams; line: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: 'pipe' });
  running.push(child);
  let stdout = '';
  child.stdout.setEncoding('utf8');
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes('\n')) resolve(stdout.slice(0, stdout.indexOf('\n')));
    });
    child.once('exit', (code) => reject(new Error(`va-llm-server exited with ${code} before printing`)));
  });
  return { child, line };
}

describe('va-llm-server', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    'listens where it says, answers the openai client, and stops within a second on %s',
    async (signal) => {
      const { child, line } = await startCli(['--port', '0', '--host', '127.0.0.1']);
      const started =
        /^va-llm-server: OpenAI-compatible API on (http:\/\/127\.0\.0\.1:\d+\/v1) \(Ctrl-C stops it\)$/;
      expect(line).toMatch(started);
      const baseURL = started.exec(line)![1]!;

      const client = new OpenAI({ apiKey: 'any-value', baseURL, maxRetries: 0, timeout: 10_000 });
      const completion = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'Say hello' }],
      });
      expect(completion.model).toBe('gpt-4o-mini-2024-07-18');
      expect(completion.choices[0]!.message.content).toBe(REPLY);
      expect(completion.usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 12, total_tokens: 17 });

      // A stream that would take a minute is still open when the signal arrives.
      const pending = client.chat.completions
        .create(
          { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true },
          { headers: { 'x-test-scenario': 'chunk-delay:60000' } },
        )
        .then(async (stream) => {
          for await (const _chunk of stream) {
            // consumed until the server goes away
          }
        })
        .catch(() => 'cut');
      await new Promise((resolve) => setTimeout(resolve, 100));
      const stoppedAt = performance.now();
      child.kill(signal);
      const [code] = await once(child, 'exit');
      expect(performance.now() - stoppedAt).toBeLessThan(1_000);
      expect(code).toBe(0);
      expect(await pending).toBe('cut');
    },
  );

  it('says why it cannot start on a port that is taken, and exits 1', async () => {
    const { child, line } = await startCli(['--port', '0']);
    const port = new URL(line.match(/http:\S+/)![0]).port;
    const failed = await run(process.execPath, [CLI, '--port', port], { timeout: 10_000 }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toBe(
      `va-llm-server: listen EADDRINUSE: address already in use 127.0.0.1:${port}\n`,
    );
    child.kill('SIGTERM');
    expect(await once(child, 'exit')).toEqual([0, null]);
  });

  it('answers --help with its usage, and a bad --port with the usage and exit code 2', async () => {
    const help = await run(process.execPath, [CLI, '--help'], { timeout: 10_000 });
    expect(help.stdout).toMatch(/^Usage: va-llm-server \[options\]\n/);
    const bad = await run(process.execPath, [CLI, '--port', 'eighty'], { timeout: 10_000 }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(bad).toMatchObject({ code: 2 });
    expect((bad as { stderr: string }).stderr).toMatch(
      /^va-llm-server: --port must be a whole number from 0 to 65535, not eighty\n\nUsage: /,
    );
  });
});
