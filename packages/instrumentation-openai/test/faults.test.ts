import type { MeterProvider } from '@opentelemetry/api';
import { type StartedServer, startOpenAICompatibleServer } from '@va/openai-compatible-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instrumentOpenAI } from '../src/index.js';
import { runWithAndWithout } from './support/metrics.js';
import { type AnyOpenAI, loadOpenAI, OPENAI_MAJORS } from './support/openai-majors.js';
import { useTestbed } from './support/testbed.js';

const DURATION = 'gen_ai.client.operation.duration';
const MESSAGES = [{ role: 'user' as const, content: 'Say hello to the caller please' }];

/** What a caller can observe of an error: its class, status, message, and the cause underneath. */
interface SeenError {
  readonly className: string;
  readonly name: unknown;
  readonly status: unknown;
  readonly message: string;
  readonly code: unknown;
  readonly causeClassName: unknown;
  readonly causeCode: unknown;
}

function seenError(error: unknown): SeenError {
  const { name, status, message, code, cause } = error as Error & Record<string, unknown>;
  const causeObject = cause as (Error & { code?: unknown }) | undefined;
  return {
    className: (error as Error).constructor.name,
    name,
    status,
    message,
    code,
    causeClassName: causeObject?.constructor?.name,
    causeCode: causeObject?.code,
  };
}

/** Everything the caller saw of one call: the chunks (ids and timestamps left out) and how it ended. */
interface Outcome {
  readonly chunks: unknown[];
  readonly error?: SeenError;
}

/** Chunks without the fields that differ between two runs (ids, timestamps). */
function shapeOf(chunk: unknown): unknown {
  const { id: _id, created: _created, ...rest } = chunk as Record<string, unknown>;
  return rest;
}

/** A scenario as the caller's code runs it: a call, then reading its result or stream. */
type Scenario = (client: AnyOpenAI) => Promise<Outcome>;

/** Runs `call`; a streamed result is iterated, leaving after `leaveAfter` chunks when given. */
async function observe(call: () => Promise<unknown>, leaveAfter?: number): Promise<Outcome> {
  const chunks: unknown[] = [];
  try {
    const result = await call();
    if (result !== null && typeof result === 'object' && Symbol.asyncIterator in result) {
      for await (const chunk of result as AsyncIterable<unknown>) {
        chunks.push(shapeOf(chunk));
        if (chunks.length === leaveAfter) break;
      }
    } else chunks.push(shapeOf(result));
    return { chunks };
  } catch (error) {
    return { chunks, error: seenError(error) };
  }
}

const chat = (scenario: string, stream = false, options: Record<string, unknown> = {}): Scenario => {
  return (client) =>
    observe(() =>
      client.chat.completions.create(
        { model: 'gpt-4o-mini', messages: MESSAGES, stream },
        { headers: { 'x-test-scenario': scenario }, ...options },
      ),
    );
};

/**
 * Each fault, run once by a client without us and once by the same client instrumented: the
 * caller's code must see the very same outcome, and the call must be counted once, with the
 * error.type the fault deserves.
 */
describe.each(OPENAI_MAJORS)('openai %i: faults look the same with and without us', (major) => {
  const testbed = useTestbed(major);
  const base = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': '127.0.0.1',
    'gen_ai.request.model': 'gpt-4o-mini',
    'server.address': '127.0.0.1',
    'server.port': 0,
  };
  /** The attributes of a call whose answer (or first chunk) named the model that answered. */
  const answered = () => ({
    ...base,
    'server.port': testbed.server.port,
    'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
  });
  const durationCounts = async () =>
    (await testbed.metrics.points(DURATION)).map((point) => [point.attributes, point.count]);

  const instrumented = (client: AnyOpenAI) =>
    instrumentOpenAI(client, { meterProvider: testbed.metrics.meterProvider });
  /** The outcome without us and with us, and how many requests each run sent. */
  const compare = (scenario: Scenario, options: Record<string, unknown> = {}) =>
    runWithAndWithout(testbed.server, scenario, () => testbed.plainClient(options), instrumented);

  it.each([
    ['a 429', chat('error:429'), 'RateLimitError', 429, '429'],
    ['a 500', chat('error:500'), 'InternalServerError', 500, '500'],
    ['a 500 on a streamed call', chat('error:500', true), 'InternalServerError', 500, '500'],
    ['a 503', chat('error:503'), 'InternalServerError', 503, '503'],
    [
      'a connection closed before the answer',
      chat('cut-after:0'),
      'APIConnectionError',
      undefined,
      'APIConnectionError',
    ],
  ])('%s: same error, counted once as %s', async (_, scenario, className, status, errorType) => {
    const { without, withUs, requests } = await compare(scenario);
    expect(without.error).toMatchObject({ className, status });
    expect(withUs).toEqual(without);
    expect(requests).toEqual([1, 1]);
    expect(await durationCounts()).toEqual([
      [{ ...base, 'server.port': testbed.server.port, 'error.type': errorType }, 1],
    ]);
  });

  it("the client's timeout against a slow answer: APIConnectionTimeoutError, counted once as timeout", async () => {
    const { without, withUs, requests } = await compare(chat('slow-first-chunk:3000'), { timeout: 150 });
    expect(without.error).toMatchObject({ className: 'APIConnectionTimeoutError', status: undefined });
    expect(withUs).toEqual(without);
    expect(requests).toEqual([1, 1]);
    expect(await durationCounts()).toEqual([
      [{ ...base, 'server.port': testbed.server.port, 'error.type': 'timeout' }, 1],
    ]);
    // The duration is the time the caller waited: the timeout, well short of the server's delay. A timer
    // counts from the event loop's cached "now", which can be a little older than performance.now() when
    // the call starts, so the timeout may fire a few milliseconds early by our clock (CI saw 0.14993 s).
    const [point] = await testbed.metrics.points(DURATION);
    expect(point!.sum).toBeGreaterThanOrEqual(0.14);
    expect(point!.sum).toBeLessThan(3);
  });

  it('the timeout with retries: one call, counted once as timeout, after 1 + maxRetries attempts', async () => {
    const { without, withUs, requests } = await compare(chat('hang'), {
      timeout: 100,
      maxRetries: 1,
    });
    expect(without.error).toMatchObject({ className: 'APIConnectionTimeoutError' });
    expect(withUs).toEqual(without);
    expect(requests).toEqual([2, 2]);
    expect(await durationCounts()).toEqual([
      [{ ...base, 'server.port': testbed.server.port, 'error.type': 'timeout' }, 1],
    ]);
  });

  it('a connection cut mid-stream: the same 3 chunks, then the same error; counted once by its class', async () => {
    const { without, withUs } = await compare(chat('cut-after:3', true));
    expect(without.chunks).toHaveLength(3);
    // undici's `TypeError: terminated` (openai 5+), node-fetch's `Error: Premature close` (openai 4).
    expect(without.error?.className).toBe(major === 4 ? 'Error' : 'TypeError');
    expect(withUs).toEqual(without);
    expect(await durationCounts()).toEqual([[{ ...answered(), 'error.type': without.error!.className }, 1]]);
  });

  it('a stream the caller abandons after 2 chunks: the same 2 chunks, counted once as canceled', async () => {
    const abandon: Scenario = (client) =>
      observe(
        () =>
          client.chat.completions.create(
            { model: 'gpt-4o-mini', messages: MESSAGES, stream: true },
            { headers: { 'x-test-scenario': 'chunks:20,chunk-delay:5' } },
          ),
        2,
      );
    const { without, withUs } = await compare(abandon);
    expect(without).toEqual({ chunks: without.chunks });
    expect(without.chunks).toHaveLength(2);
    expect(withUs).toEqual(without);
    expect(await durationCounts()).toEqual([[{ ...answered(), 'error.type': 'canceled' }, 1]]);
  });

  it("the caller's AbortSignal while the server holds the answer: the same APIUserAbortError, counted once as canceled", async () => {
    const abortLater: Scenario = async (client) => {
      const controller = new AbortController();
      const started = testbed.server.requests.length;
      const outcome = observe(() =>
        client.chat.completions.create(
          { model: 'gpt-4o-mini', messages: MESSAGES },
          { headers: { 'x-test-scenario': 'hang' }, signal: controller.signal },
        ),
      );
      // Abort once the server has the request, so both runs abort at the same point.
      while (testbed.server.requests.length === started)
        await new Promise((resolve) => setTimeout(resolve, 5));
      controller.abort();
      return outcome;
    };
    const { without, withUs } = await compare(abortLater);
    expect(without.error).toMatchObject({ className: 'APIUserAbortError' });
    expect(withUs).toEqual(without);
    expect(await durationCounts()).toEqual([
      [{ ...base, 'server.port': testbed.server.port, 'error.type': 'canceled' }, 1],
    ]);
  });

  it('maxRetries: 2 with a 429 then a 200: the same answer, one call without error.type, its duration covering both attempts', async () => {
    let run = 0;
    // Each attempt takes 200 ms at the server; a fresh fail-times key per run, so each run sees its 429 first.
    const retried: Scenario = (client) =>
      observe(() =>
        client.chat.completions.create(
          { model: 'gpt-4o-mini', messages: MESSAGES },
          {
            headers: {
              'x-test-scenario': 'error:429,fail-times:1,slow-first-chunk:200',
              'x-test-scenario-key': `retry-429-${major}-${++run}`,
            },
          },
        ),
      );
    const { without, withUs, requests } = await compare(retried, { maxRetries: 2 });
    expect(without.error).toBeUndefined();
    expect(withUs).toEqual(without);
    expect(requests).toEqual([2, 2]);
    expect(testbed.server.responses.map((response) => response.status)).toEqual([429, 200]);
    expect(await durationCounts()).toEqual([[answered(), 1]]);
    // Both attempts (2 × 200 ms at the server), less the few milliseconds a timer may fire early by our clock.
    const [point] = await testbed.metrics.points(DURATION);
    expect(point!.sum).toBeGreaterThanOrEqual(0.39);
  });
});

describe.each(OPENAI_MAJORS)('openai %i: instruments that throw on every recording', (major) => {
  const openai = loadOpenAI(major);
  let server: StartedServer;

  beforeAll(async () => {
    server = await startOpenAICompatibleServer();
  });
  afterAll(async () => {
    await server.close();
  });

  function boom(): never {
    throw new Error('instrument exploded');
  }
  /** getMeter works and the instruments exist; every record() and add() throws. */
  // Only what the wrapper calls; the rest of a Meter is never reached.
  const throwingInstruments = {
    getMeter: () => ({
      createHistogram: () => ({ record: boom }),
      createCounter: () => ({ add: boom }),
      createUpDownCounter: () => ({ add: boom }),
    }),
  } as unknown as MeterProvider;

  it.each([
    ['a completion', chat('chunks:4')],
    ['a stream', chat('chunks:4', true)],
    ['a 429', chat('error:429')],
    ['a cut stream', chat('cut-after:2', true)],
  ])('%s: the caller sees what it sees without us', async (_, scenario) => {
    const plain = () => new openai.OpenAI({ apiKey: 'test', baseURL: server.baseURL, maxRetries: 0 });
    const without = await scenario(plain());
    const withUs = await scenario(instrumentOpenAI(plain(), { meterProvider: throwingInstruments }));
    expect(withUs).toEqual(without);
    expect(without.chunks.length + (without.error === undefined ? 0 : 1)).toBeGreaterThan(0);
  });
});
