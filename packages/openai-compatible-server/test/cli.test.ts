// The bin `va-llm-server` (the built dist/cjs/cli.js), run as a user runs it: it prints its base
// URL, answers the real openai client there, and stops promptly on SIGINT (Ctrl-C) and SIGTERM,
// with a stream still open; with --tls it serves wss:// to the openai Realtime client.
import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';
import type { ResponseDoneEvent } from 'openai/resources/realtime/realtime';
import { afterEach, describe, expect, it } from 'vitest';
import { realtimeUsage } from '../src/index.js';
import { pcm } from './realtime-support.js';
import { REPLY } from './support.js';

const CLI = fileURLToPath(new URL('../dist/cjs/cli.js', import.meta.url));
const run = promisify(execFile);

const running: ChildProcessWithoutNullStreams[] = [];

afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Starts the bin and waits for its first `lineCount` lines; the first names the base URL. */
async function startCli(
  args: string[],
  lineCount = 1,
): Promise<{ child: ChildProcessWithoutNullStreams; line: string; lines: string[] }> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: 'pipe' });
  running.push(child);
  let stdout = '';
  child.stdout.setEncoding('utf8');
  const lines = await new Promise<string[]>((resolve, reject) => {
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      const complete = stdout.split('\n').slice(0, -1);
      if (complete.length >= lineCount) resolve(complete.slice(0, lineCount));
    });
    child.once('exit', (code) => reject(new Error(`va-llm-server exited with ${code} before printing`)));
  });
  return { child, line: lines[0]!, lines };
}

describe('va-llm-server', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    'listens where it says, answers the openai, Anthropic and Google Gen AI clients, and stops within a second on %s',
    async (signal) => {
      const { child, line, lines } = await startCli(['--port', '0', '--host', '127.0.0.1'], 4);
      const started =
        /^va-llm-server: OpenAI-compatible API on (http:\/\/127\.0\.0\.1:\d+\/v1) \(Ctrl-C stops it\)$/;
      expect(line).toMatch(started);
      const baseURL = started.exec(line)![1]!;
      const anthropicBaseURL = baseURL.slice(0, -'/v1'.length);
      expect(lines.slice(1)).toEqual([
        `  OPENAI_BASE_URL=${baseURL} OPENAI_API_KEY=any-value node app.js`,
        `  ANTHROPIC_BASE_URL=${anthropicBaseURL} ANTHROPIC_API_KEY=any-value node app.js`,
        `  GOOGLE_GEMINI_BASE_URL=${anthropicBaseURL} GEMINI_API_KEY=any-value node app.js`,
      ]);
      const anthropic = new Anthropic({ apiKey: 'any-value', baseURL: anthropicBaseURL, maxRetries: 0 });
      const message = await anthropic.messages.create({
        model: 'claude-haiku-4-5',
        max_tokens: 100,
        messages: [{ role: 'user', content: 'Say hello' }],
      });
      expect(message.content).toEqual([{ type: 'text', text: REPLY }]);
      const gemini = new GoogleGenAI({ apiKey: 'any-value', httpOptions: { baseUrl: anthropicBaseURL } });
      const generated = await gemini.models.generateContent({
        model: 'gemini-2.5-flash',
        contents: 'Say hello',
      });
      expect(generated.text).toBe(REPLY);

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

  it('--tls --certificate-file: serves wss:// to the openai Realtime client trusting the written file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'va-llm-server-'));
    try {
      const file = join(dir, 'certificate.pem');
      const { child, lines } = await startCli(['--port', '0', '--tls', '--certificate-file', file], 5);
      const started =
        /^va-llm-server: OpenAI-compatible API on (https:\/\/127\.0\.0\.1:(\d+)\/v1) \(Ctrl-C stops it\)$/;
      expect(lines[0]).toMatch(started);
      const [, baseURL, port] = started.exec(lines[0]!)!;
      expect(lines.slice(1)).toEqual([
        `  Realtime: wss://127.0.0.1:${port}/v1/realtime?model=gpt-realtime`,
        `  NODE_EXTRA_CA_CERTS=${file} OPENAI_BASE_URL=${baseURL} OPENAI_API_KEY=any-value node app.js`,
        `  NODE_EXTRA_CA_CERTS=${file} ANTHROPIC_BASE_URL=https://127.0.0.1:${port} ANTHROPIC_API_KEY=any-value node app.js`,
        `  NODE_EXTRA_CA_CERTS=${file} GOOGLE_GEMINI_BASE_URL=https://127.0.0.1:${port} GEMINI_API_KEY=any-value node app.js`,
      ]);
      const certificate = await readFile(file, 'utf8');
      expect(certificate).toMatch(/^-----BEGIN CERTIFICATE-----\r?\n/);

      const rt = new OpenAIRealtimeWS(
        { model: 'gpt-realtime', options: { ca: certificate } },
        new OpenAI({ apiKey: 'any-value', baseURL }),
      );
      const done = new Promise<ResponseDoneEvent>((resolve, reject) => {
        rt.on('response.done', resolve);
        rt.on('error', reject);
      });
      await once(rt.socket, 'open');
      rt.send({ type: 'input_audio_buffer.append', audio: pcm(300) });
      const { response } = await done;
      expect(response.status).toBe('completed');
      // 300 ms of audio is 3 tokens; 4 audio deltas are 20 audio tokens and 4 transcript words.
      expect(response.usage).toEqual(
        realtimeUsage({ text: 0, audio: 3 }, { text: 0, audio: 0 }, { text: 4, audio: 20 }),
      );
      rt.close();
      child.kill('SIGTERM');
      expect(await once(child, 'exit')).toEqual([0, null]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses --certificate-file without --tls, with the usage and exit code 2', async () => {
    const bad = await run(process.execPath, [CLI, '--certificate-file', 'ca.pem'], { timeout: 10_000 }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(bad).toMatchObject({ code: 2 });
    expect((bad as { stderr: string }).stderr).toMatch(
      /^va-llm-server: --certificate-file needs --tls\n\nUsage: /,
    );
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
