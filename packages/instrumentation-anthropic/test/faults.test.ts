import { runWithAndWithout } from '@va/test-metrics';
import { describe, expect, it } from 'vitest';
import { instrumentAnthropic } from '../src/index.js';
import { ANTHROPIC_MAJORS, type AnyAnthropic } from './support/anthropic-majors.js';
import { useTestbed } from './support/testbed.js';

const DURATION = 'gen_ai.client.operation.duration';
const MODEL = 'claude-haiku-4-5';
const REQUEST = {
  model: MODEL,
  max_tokens: 256,
  messages: [{ role: 'user' as const, content: 'Say hello to the caller please' }],
};

/** What a caller can observe of an error: its class, status, message (request ids aside) and type. */
interface SeenError {
  readonly className: string;
  readonly status: unknown;
  readonly message: string;
  readonly type: unknown;
}

function seenError(error: unknown): SeenError {
  const { status, message, type } = error as Error & Record<string, unknown>;
  return {
    className: (error as Error).constructor.name,
    status,
    // Every answer carries a request id of its own, which 1.x quotes in the message.
    message: message.replace(/req_[A-Za-z0-9]+/g, 'req_…'),
    type,
  };
}

/** Everything the caller saw of one call: the event types and how it ended. */
interface Outcome {
  readonly events: unknown[];
  readonly error?: SeenError;
}

type Scenario = (client: AnyAnthropic) => Promise<Outcome>;

async function observe(call: () => Promise<unknown>): Promise<Outcome> {
  const events: unknown[] = [];
  try {
    const result = await call();
    if (result !== null && typeof result === 'object' && Symbol.asyncIterator in result) {
      for await (const event of result as AsyncIterable<{ type: string }>) events.push(event.type);
    } else events.push((result as { type: string }).type);
    return { events };
  } catch (error) {
    return { events, error: seenError(error) };
  }
}

const messages =
  (directives: string, stream = false, options: Record<string, unknown> = {}): Scenario =>
  (client) =>
    observe(() =>
      client.messages.create(
        { ...REQUEST, stream },
        { headers: { 'x-test-scenario': directives }, ...options },
      ),
    );

/**
 * Each fault, run once by a client without us and once by the same client instrumented: the caller's
 * code must see the very same outcome, and the call must be counted once, with the error.type the fault
 * deserves.
 */
describe.each(ANTHROPIC_MAJORS)('@anthropic-ai/sdk %i: faults look the same with and without us', (major) => {
  const testbed = useTestbed(major);
  const base = () => testbed.callAttributes(MODEL);
  const durationCounts = () => testbed.durationCounts();

  const instrumented = (client: AnyAnthropic) =>
    instrumentAnthropic(client, { meterProvider: testbed.metrics.meterProvider });
  /** The outcome without us and with us, and how many requests each run sent. */
  const compare = (scenario: Scenario, options: Record<string, unknown> = {}) =>
    runWithAndWithout(testbed.server, scenario, () => testbed.plainClient(options), instrumented);

  it.each([
    ['a 429 (retries off)', messages('error:429'), 'RateLimitError', 429, '429'],
    ['a 529', messages('error:529'), major === 0 ? 'InternalServerError' : 'OverloadedError', 529, '529'],
    ['a 500 on a streamed call', messages('error:500', true), 'InternalServerError', 500, '500'],
  ])('%s: same error, counted once as %s', async (_, scenario, className, status, errorType) => {
    const { without, withUs, requests } = await compare(scenario);
    expect(without.error).toMatchObject({ className, status });
    expect(withUs).toEqual(without);
    expect(requests).toEqual([1, 1]);
    expect(await durationCounts()).toEqual([[{ ...base(), 'error.type': errorType }, 1]]);
  });

  it("an error event mid-stream (overloaded_error after the 200): the same events and error, counted once as the event's type", async () => {
    const { without, withUs } = await compare(messages('overloaded-after:4', true));
    expect(without.events).toHaveLength(3);
    // 1.x throws an APIError carrying the type; 0.x an APIConnectionError whose message is the event.
    expect(without.error).toMatchObject({
      className: major === 0 ? 'APIConnectionError' : 'APIError',
      status: undefined,
    });
    expect(withUs).toEqual(without);
    expect(await durationCounts()).toEqual([
      [{ ...base(), 'gen_ai.response.model': MODEL, 'error.type': 'overloaded_error' }, 1],
    ]);
  });

  it("the caller's AbortSignal while the server holds the answer: the same APIUserAbortError, counted once as canceled", async () => {
    const abortLater: Scenario = async (client) => {
      const controller = new AbortController();
      const started = testbed.server.requests.length;
      const outcome = observe(() =>
        client.messages.create(REQUEST, {
          headers: { 'x-test-scenario': 'hang' },
          signal: controller.signal,
        }),
      );
      while (testbed.server.requests.length === started)
        await new Promise((resolve) => setTimeout(resolve, 5));
      controller.abort();
      return outcome;
    };
    const { without, withUs } = await compare(abortLater);
    expect(without.error).toMatchObject({ className: 'APIUserAbortError' });
    expect(withUs).toEqual(without);
    expect(await durationCounts()).toEqual([[{ ...base(), 'error.type': 'canceled' }, 1]]);
  });

  it("the client's timeout against a slow answer: APIConnectionTimeoutError, counted once as timeout", async () => {
    const { without, withUs, requests } = await compare(messages('slow-first-chunk:3000'), { timeout: 150 });
    expect(without.error).toMatchObject({ className: 'APIConnectionTimeoutError', status: undefined });
    expect(withUs).toEqual(without);
    expect(requests).toEqual([1, 1]);
    expect(await durationCounts()).toEqual([[{ ...base(), 'error.type': 'timeout' }, 1]]);
    const [point] = await testbed.metrics.points(DURATION);
    expect(point!.sum).toBeGreaterThanOrEqual(0.14);
    expect(point!.sum).toBeLessThan(3);
  });

  it('a connection cut mid-stream: the same events, then the same error; input counted, no output', async () => {
    const { without, withUs } = await compare(messages('cut-after:4', true));
    expect(without.events).toHaveLength(3);
    expect(withUs).toEqual(without);
    expect(await durationCounts()).toEqual([
      [{ ...base(), 'gen_ai.response.model': MODEL, 'error.type': without.error!.className }, 1],
    ]);
    const tokens = await testbed.metrics.points('gen_ai.client.token.usage');
    expect(tokens.map((point) => point.attributes['gen_ai.token.type'])).toEqual(['input']);
  });

  it('a 429 then a 200 with retries: the same answer, one call without error.type', async () => {
    const { without, withUs, requests } = await compare(
      (client) =>
        observe(() =>
          client.messages.create(REQUEST, {
            headers: {
              'x-test-scenario': 'error:429,fail-times:1',
              'x-test-scenario-key': `retry-${Math.random()}`,
            },
          }),
        ),
      { maxRetries: 2 },
    );
    expect(without).toEqual({ events: ['message'] });
    expect(withUs).toEqual(without);
    expect(requests).toEqual([2, 2]);
    expect(await durationCounts()).toEqual([[{ ...base(), 'gen_ai.response.model': MODEL }, 1]]);
  });
});
