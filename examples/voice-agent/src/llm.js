// The LLM providers: the real OpenAI API when OPENAI_API_KEY is set, else the bundled fake
// OpenAI-compatible server with a latency profile close to a hosted model's. Either way the app
// talks to it through the ordinary `openai` client, which the register measures by itself. Some
// turns go to Claude through the ordinary `@anthropic-ai/sdk` client, measured by the register too:
// the real Anthropic API when ANTHROPIC_API_KEY is set, else the bundled server's Messages API.

const { once } = require('node:events');
const { join } = require('node:path');
const { Worker } = require('node:worker_threads');
const { Anthropic } = require('@anthropic-ai/sdk');
const { OpenAI } = require('openai');
const { integerBetween } = require('./random');

const MODELS = {
  chat: 'gpt-4o-mini',
  // Alternated per turn: the first reports token usage, whisper-1 does not, as with OpenAI.
  transcription: ['gpt-4o-mini-transcribe', 'whisper-1'],
  speech: 'gpt-4o-mini-tts',
  embedding: 'text-embedding-3-small',
  // Speech-to-speech calls, over the Realtime API's WebSocket: the small Realtime model, which the
  // price table knows (text, audio and cached prices), so these calls show their spend too.
  realtime: 'gpt-4o-mini-realtime-preview',
  // Claude's turns: the small model, which the price table knows (input, cache reads and writes, output).
  claude: 'claude-haiku-4-5',
};

/** Roughly what a small hosted model feels like from a nearby region. */
const FAKE_LATENCY = {
  firstChunkMs: [150, 600],
  perChunkMs: [15, 40],
  nonStreamingMs: [200, 800],
};

async function startFakeServer() {
  const worker = new Worker(join(__dirname, 'fake-llm-worker.js'), {
    // No --require in the worker: the provider is not part of the app being measured.
    execArgv: [],
    env: { ...process.env, OTEL_SDK_DISABLED: 'true' },
    workerData: { latency: FAKE_LATENCY, rateLimitProbability: 0.03, seed: Date.now() % 100_000 },
  });
  const [message] = await once(worker, 'message');
  if (message.error) {
    await worker.terminate();
    throw new Error(`could not start the fake LLM server: ${message.error}`);
  }
  let closing;
  return {
    baseURL: message.baseURL,
    anthropicBaseURL: message.anthropicBaseURL,
    realtime: message.realtime,
    close() {
      closing ??= (async () => {
        const exited = once(worker, 'exit');
        worker.postMessage('close');
        // The worker ends once its server is closed; terminate() covers a worker that hangs.
        const timer = setTimeout(() => worker.terminate(), 2000);
        await exited;
        clearTimeout(timer);
      })();
      return closing;
    },
  };
}

/** The Claude client: the real API with a key, else the bundled server while it runs, else none. */
function claudeClient(realAnthropic, fake) {
  if (!realAnthropic && !fake) return undefined;
  return new Anthropic({
    apiKey: realAnthropic ? realAnthropic.apiKey : 'fake-key',
    baseURL: realAnthropic ? realAnthropic.baseURL : fake.anthropicBaseURL,
    maxRetries: 2,
  });
}

/**
 * @param {{ apiKey: string, baseURL?: string } | undefined} real
 * @param {{ apiKey: string, baseURL?: string } | undefined} realAnthropic
 */
async function startLLM(real, realAnthropic) {
  const fake = real ? undefined : await startFakeServer();
  const client = new OpenAI({
    apiKey: real ? real.apiKey : 'fake-key',
    baseURL: real ? real.baseURL : fake.baseURL,
    // The client's own retries (429, 5xx, connection errors) belong to one measured call.
    maxRetries: 2,
  });

  // The Realtime socket dials the client's baseURL as wss://: against the fake server, the TLS
  // instance, whose certificate this app trusts on that socket only (`options` go to `ws`).
  const realtime = fake
    ? {
        client: new OpenAI({ apiKey: 'fake-key', baseURL: fake.realtime.baseURL }),
        socketOptions: { ca: fake.realtime.certificate },
      }
    : { client, socketOptions: {} };

  const claude = claudeClient(realAnthropic, fake);
  const claudeIsFake = claude !== undefined && !realAnthropic;

  /**
   * Request options carrying scenario directives for the bundled server, or none. A directive turns off
   * the server's latency profile, so the same delays are asked for explicitly.
   */
  function scenarioOptions(directives) {
    if (directives.length === 0) return {};
    directives.push(
      `slow-first-chunk:${integerBetween(...FAKE_LATENCY.firstChunkMs)}`,
      `chunk-delay:${integerBetween(...FAKE_LATENCY.perChunkMs)}`,
    );
    return { headers: { 'x-test-scenario': directives.join(',') } };
  }

  let chatCalls = 0;
  /**
   * Request options for one chat call. Against the fake server, some calls carry scenario
   * directives so the cached-input and reasoning-token counters move, as they would with a real
   * prompt cache and a reasoning model.
   */
  function chatOptions() {
    if (!fake) return {};
    chatCalls += 1;
    const directives = [];
    if (chatCalls % 4 === 1) directives.push('cached:32');
    if (chatCalls % 6 === 3) directives.push('reasoning:16');
    return scenarioOptions(directives);
  }

  let claudeCalls = 0;
  /**
   * Request options for one Claude call. Against the bundled server, one call in three writes
   * Anthropic's prompt cache and the next reads it, so both cache counters (and their prices) move.
   */
  function claudeOptions() {
    if (!claudeIsFake) return {};
    claudeCalls += 1;
    if (claudeCalls % 3 === 1) return scenarioOptions(['cache-write:48']);
    if (claudeCalls % 3 === 2) return scenarioOptions(['cache-read:48']);
    return {};
  }

  return {
    client,
    models: MODELS,
    chatOptions,
    /** The `@anthropic-ai/sdk` client for Claude's turns, or undefined when there is none. */
    claude,
    claudeOptions,
    /** `client` and `socketOptions` for `new OpenAIRealtimeWS({ model, options }, client)`. */
    realtime,
    /** True for the bundled server, which accepts scenario directives. */
    fake: fake !== undefined,
    description: [
      real
        ? `OpenAI API${real.baseURL ? ` at ${real.baseURL}` : ''}`
        : `bundled fake OpenAI-compatible server at ${fake.baseURL} (set OPENAI_API_KEY for the real API)`,
      realAnthropic
        ? `Claude: Anthropic API${realAnthropic.baseURL ? ` at ${realAnthropic.baseURL}` : ''}`
        : claude
          ? 'Claude: the same server (set ANTHROPIC_API_KEY for the real API)'
          : undefined,
    ]
      .filter(Boolean)
      .join('; '),
    close: async () => fake?.close(),
  };
}

module.exports = { startLLM };
