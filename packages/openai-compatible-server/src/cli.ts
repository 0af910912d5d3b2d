#!/usr/bin/env node
// `va-llm-server [--port 8787] [--host 127.0.0.1] [--tls [--certificate-file <path>]]` (`npm run
// llm-server` at the repository root): the bundled server on its own, so that a user can point their
// own app at it with OPENAI_BASE_URL (or ANTHROPIC_BASE_URL, GOOGLE_GEMINI_BASE_URL). Prints its base URLs (and with --tls its
// Realtime wss:// URL);
// SIGINT (Ctrl-C) or SIGTERM closes it, pending requests and streams included.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { startOpenAICompatibleServer } from './server.js';

const USAGE = `Usage: va-llm-server [options]

A deterministic OpenAI-compatible server (chat completions, responses, embeddings, audio, models,
and the Realtime WebSocket /v1/realtime), Anthropic's Messages API (/v1/messages) and the Gemini API
(generateContent, streamGenerateContent, embedContent, countTokens).

Options:
  --port <port>              the port to listen on (default 8787; 0 picks a free one)
  --host <host>              the address to listen on (default 127.0.0.1)
  --tls                      serve https:// and wss:// with a throwaway self-signed certificate
                             (the openai Realtime clients only dial wss://)
  --certificate-file <path>  with --tls: write that certificate (PEM) there, for NODE_EXTRA_CA_CERTS
  -h, --help                 show this help

Point an app at it: OPENAI_BASE_URL=<the printed base URL> OPENAI_API_KEY=any-value node app.js
(an Anthropic client: ANTHROPIC_BASE_URL=<that URL without /v1> ANTHROPIC_API_KEY=any-value;
a Google Gen AI client: GOOGLE_GEMINI_BASE_URL=<that URL without /v1> GEMINI_API_KEY=any-value)`;

const DEFAULT_PORT = 8787;

/** The server records every exchange for tests; run on its own for hours, it forgets them this often. */
const FORGET_RECORDS_MS = 10_000;

/** Closing destroys every socket at once; this only guards against a close that never settles. */
const EXIT_DEADLINE_MS = 1_000;

interface CliOptions {
  host: string;
  port: number;
  tls: boolean;
  certificateFile?: string;
}

function readOptions(argv: string[]): CliOptions | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      tls: { type: 'boolean', default: false },
      'certificate-file': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return undefined;
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`--port must be a whole number from 0 to 65535, not ${values.port}`);
  }
  const certificateFile = values['certificate-file'];
  if (certificateFile !== undefined && !values.tls) throw new Error('--certificate-file needs --tls');
  if (certificateFile === '') throw new Error('--certificate-file needs a path');
  const options: CliOptions = { host: values.host, port, tls: values.tls };
  if (certificateFile !== undefined) options.certificateFile = certificateFile;
  return options;
}

async function main(): Promise<void> {
  let options: CliOptions | undefined;
  try {
    options = readOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`va-llm-server: ${(error as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (options === undefined) {
    console.log(USAGE);
    return;
  }
  const server = await startOpenAICompatibleServer({
    host: options.host,
    port: options.port,
    tls: options.tls,
  });
  // Written before the URL is printed: whoever waits for that line can trust the file at once.
  if (options.certificateFile !== undefined) await writeFile(options.certificateFile, server.certificate!);
  const forget = setInterval(() => server.reset(), FORGET_RECORDS_MS);
  forget.unref();
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    clearInterval(forget);
    setTimeout(() => process.exit(0), EXIT_DEADLINE_MS).unref();
    server.close().then(
      () => process.exit(0),
      () => process.exit(0),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  console.log(`va-llm-server: OpenAI-compatible API on ${server.baseURL} (Ctrl-C stops it)`);
  if (!options.tls) {
    console.log(`  OPENAI_BASE_URL=${server.baseURL} OPENAI_API_KEY=any-value node app.js`);
    console.log(`  ANTHROPIC_BASE_URL=${server.anthropicBaseURL} ANTHROPIC_API_KEY=any-value node app.js`);
    console.log(`  GOOGLE_GEMINI_BASE_URL=${server.geminiBaseURL} GEMINI_API_KEY=any-value node app.js`);
    return;
  }
  console.log(`  Realtime: ${server.baseURL.replace(/^https/, 'wss')}/realtime?model=gpt-realtime`);
  const trust =
    options.certificateFile === undefined
      ? '<a file with the certificate: --certificate-file <path> writes it>'
      : options.certificateFile;
  console.log(
    `  NODE_EXTRA_CA_CERTS=${trust} OPENAI_BASE_URL=${server.baseURL} OPENAI_API_KEY=any-value node app.js`,
  );
  console.log(
    `  NODE_EXTRA_CA_CERTS=${trust} ANTHROPIC_BASE_URL=${server.anthropicBaseURL} ANTHROPIC_API_KEY=any-value node app.js`,
  );
  console.log(
    `  NODE_EXTRA_CA_CERTS=${trust} GOOGLE_GEMINI_BASE_URL=${server.geminiBaseURL} GEMINI_API_KEY=any-value node app.js`,
  );
}

main().catch((error: unknown) => {
  console.error(`va-llm-server: ${(error as Error).message ?? error}`);
  process.exit(1);
});
