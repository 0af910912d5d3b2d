import { invokeAgent } from '@va/instrumentation-agent';
import type { StartedServer } from '@va/openai-compatible-server';
import { describe, expect, it } from 'vitest';
import { instrumentOpenAI } from '../src/index.js';
import { type Point, totalCount } from './support/metrics.js';
import {
  type AppConnection,
  GA_REALTIME_MAJORS,
  loadRealtime,
  openConnection,
  useRealtimeTestbed,
} from './support/realtime.js';

const MODEL = 'gpt-realtime-1.5';
const PROVIDER = { 'gen_ai.provider.name': '127.0.0.1' };

const DURATION = 'gen_ai.client.operation.duration';
const FIRST_CHUNK = 'gen_ai.client.operation.time_to_first_chunk';
const TOKENS = 'gen_ai.client.token.usage';
const CACHED = 'gen_ai.client.inference.usage.cache_read.input_tokens';
const COST = 'gen_ai.client.cost';
const TURNS = 'voice.turns';
const LATENCY = 'voice.turn.response_latency';
const STAGES = 'voice.stage.duration';
const INTERRUPTIONS = 'voice.turn.interruptions';
const ACTIVE = 'voice.session.active';
const SESSION_TURNS = 'voice.session.turns';
const SESSION_TOKENS = 'voice.session.tokens';
const TOOLS = 'gen_ai.execute_tool.duration';
const ERRORS = 'gen_ai.client.realtime.errors';
const REMAINING = 'gen_ai.client.rate_limit.remaining';
const LIMIT = 'gen_ai.client.rate_limit.limit';

/** Per million tokens, the built-in price of gpt-realtime-1.5 (src/built-in-prices.ts). */
const PRICE = {
  text: { input: 4, cached: 0.4, output: 16 },
  audio: { input: 32, cached: 0.4, output: 64 },
} as const;

interface ServerUsage {
  input_tokens: number;
  output_tokens: number;
  input_token_details: {
    text_tokens: number;
    audio_tokens: number;
    cached_tokens: number;
    cached_tokens_details: { text_tokens: number; audio_tokens: number };
  };
  output_token_details: { text_tokens: number; audio_tokens: number };
}

/** What the server reported, summed over its responses, by token type and modality. */
function reported(server: StartedServer) {
  const usages = server.realtimeSessions.flatMap((session) =>
    session.responses.flatMap((response) =>
      response.usage === undefined ? [] : [response.usage as unknown as ServerUsage],
    ),
  );
  const sum = (pick: (usage: ServerUsage) => number) =>
    usages.reduce((total, usage) => total + pick(usage), 0);
  const tokens = {
    input: {
      text: sum((u) => u.input_token_details.text_tokens),
      audio: sum((u) => u.input_token_details.audio_tokens),
    },
    cached: {
      text: sum((u) => u.input_token_details.cached_tokens_details.text_tokens),
      audio: sum((u) => u.input_token_details.cached_tokens_details.audio_tokens),
    },
    output: {
      text: sum((u) => u.output_token_details.text_tokens),
      audio: sum((u) => u.output_token_details.audio_tokens),
    },
  };
  const dollars = (modality: 'text' | 'audio') =>
    ((tokens.input[modality] - tokens.cached[modality]) * PRICE[modality].input +
      tokens.cached[modality] * PRICE[modality].cached) /
    1_000_000;
  return {
    responses: usages.length,
    tokens,
    total: sum((u) => u.input_tokens + u.output_tokens),
    cost: {
      input: { text: dollars('text'), audio: dollars('audio') },
      output: {
        text: (tokens.output.text * PRICE.text.output) / 1_000_000,
        audio: (tokens.output.audio * PRICE.audio.output) / 1_000_000,
      },
    },
  };
}

function sumOf(points: readonly Point[], attributes: Record<string, string>): number {
  return points
    .filter((point) => Object.entries(attributes).every(([key, value]) => point.attributes[key] === value))
    .reduce((total, point) => total + (point.sum ?? point.value), 0);
}

function turnsByReason(points: readonly Point[]): Record<string, number> {
  return Object.fromEntries(
    points.map((point) => [String(point.attributes['voice.turn.end_reason']), point.value]),
  );
}

describe.each(GA_REALTIME_MAJORS)('openai %i realtime/ws patched by OpenAIInstrumentation', (major) => {
  const realtime = loadRealtime(major);
  const bed = useRealtimeTestbed(realtime, 'openai/realtime/ws');
  const realtimePatches = () => bed.patches();

  async function session(
    scenario: string,
    drive: (app: AppConnection) => Promise<void>,
  ): Promise<AppConnection> {
    const app = await openConnection(
      realtime,
      bed.server,
      `${MODEL}${scenario === '' ? '' : `@${scenario}`}`,
    );
    await app.waitFor('session.created');
    await drive(app);
    await app.close();
    return app;
  }

  it('measures a completed turn: latency and its stages, the response, tokens and cost exactly as reported', async () => {
    const app = await session('', async (app) => {
      app.speak(480);
      await app.waitFor('response.done');
    });
    const sent = bed.server.realtimeSessions[0]!.sent.map((event) => (event as { type: string }).type);
    expect(app.types).toEqual(sent);

    expect(turnsByReason(await bed.metrics.points(TURNS))).toEqual({ completed: 1 });
    const latency = await bed.metrics.point(LATENCY);
    expect(latency?.count).toBe(1);
    // response-ms (10) + first-audio-ms (30) on the bed.server, at least.
    expect(latency?.sum).toBeGreaterThanOrEqual(0.035);
    expect(latency?.sum).toBeLessThan(5);
    const stages = await bed.metrics.points(STAGES);
    expect(stages.map((point) => [point.attributes['voice.stage'], point.count]).sort()).toEqual([
      ['first_audio', 1],
      ['response_created', 1],
    ]);
    expect(stages.reduce((total, point) => total + point.sum!, 0)).toBeCloseTo(latency!.sum!, 9);

    const common = {
      'gen_ai.operation.name': 'realtime_inference',
      ...PROVIDER,
      'gen_ai.request.model': MODEL,
      'gen_ai.response.model': MODEL,
      'server.address': '127.0.0.1',
      'server.port': bed.server.port,
    };
    expect((await bed.metrics.points(DURATION)).map((point) => [point.attributes, point.count])).toEqual([
      [common, 1],
    ]);
    expect((await bed.metrics.points(FIRST_CHUNK)).map((point) => [point.attributes, point.count])).toEqual([
      [common, 1],
    ]);

    const expected = reported(bed.server);
    expect(expected.responses).toBe(1);
    const tokens = await bed.metrics.points(TOKENS);
    for (const type of ['input', 'output'] as const) {
      for (const modality of ['text', 'audio'] as const) {
        const attributes = { 'gen_ai.token.type': type, 'gen_ai.token.modality': modality };
        expect(sumOf(tokens, attributes), `${type} ${modality}`).toBe(expected.tokens[type][modality]);
        expect(sumOf(await bed.metrics.points(COST), attributes)).toBeCloseTo(
          expected.cost[type][modality],
          12,
        );
      }
    }
    // No unsplit series beside the split ones, and no image series for zero image tokens.
    expect(
      tokens.every((point) => ['text', 'audio'].includes(String(point.attributes['gen_ai.token.modality']))),
    ).toBe(true);

    expect(await bed.metrics.value(ACTIVE)).toBe(0);
    expect(await bed.metrics.point(SESSION_TURNS)).toMatchObject({ count: 1, sum: 1 });
    expect(await bed.metrics.point(SESSION_TOKENS)).toMatchObject({ count: 1, sum: expected.total });

    const limits = bed.server.realtimeSessions[0]!.sent.filter(
      (event) => (event as { type: string }).type === 'rate_limits.updated',
    );
    const last = (limits.at(-1) as { rate_limits: Array<{ name: string; limit: number; remaining: number }> })
      .rate_limits;
    for (const { name, limit, remaining } of last) {
      const attributes = { ...PROVIDER, 'gen_ai.request.model': MODEL, 'gen_ai.rate_limit.name': name };
      expect(await bed.metrics.value(REMAINING, attributes)).toBe(remaining);
      expect(await bed.metrics.value(LIMIT, attributes)).toBe(limit);
    }
  });

  it('counts a barge-in: the cancelled response is an interrupted turn, its usage counted; the next one completes', async () => {
    await session('barge-in', async (app) => {
      app.speak(480);
      await app.waitFor('response.done', 2);
    });
    const statuses = bed.server.realtimeSessions[0]!.responses.map((response) => response.status);
    expect(statuses).toEqual(['cancelled', 'completed']);
    expect(turnsByReason(await bed.metrics.points(TURNS))).toEqual({ interrupted: 1, completed: 1 });
    expect(await bed.metrics.value(INTERRUPTIONS)).toBe(1);
    // Both replies reached audio: two latency points, two of each stage.
    expect((await bed.metrics.point(LATENCY))?.count).toBe(2);
    expect(totalCount(await bed.metrics.points(DURATION))).toBe(2);
    const expected = reported(bed.server);
    expect(expected.responses).toBe(2);
    const tokens = await bed.metrics.points(TOKENS);
    expect(sumOf(tokens, { 'gen_ai.token.type': 'output', 'gen_ai.token.modality': 'audio' })).toBe(
      expected.tokens.output.audio,
    );
    expect(sumOf(tokens, { 'gen_ai.token.type': 'input', 'gen_ai.token.modality': 'audio' })).toBe(
      expected.tokens.input.audio,
    );
    expect(sumOf(await bed.metrics.points(CACHED), {})).toBe(
      expected.tokens.cached.text + expected.tokens.cached.audio,
    );
  });

  it('times a function call from its arguments to the output the app sends, and the latency of the answer after it', async () => {
    const TOOL_MS = 60;
    await session('tool-call', async (app) => {
      app.rt.on('response.function_call_arguments.done', (event: { call_id: string }) => {
        setTimeout(() => {
          app.rt.send({
            type: 'conversation.item.create',
            item: { type: 'function_call_output', call_id: event.call_id, output: '{"temperature":21}' },
          });
          app.rt.send({ type: 'response.create' });
        }, TOOL_MS);
      });
      app.speak(480);
      await app.waitFor('response.done', 2);
    });
    const tools = await bed.metrics.points(TOOLS);
    expect(tools.map((point) => [point.attributes, point.count])).toEqual([
      [{ 'gen_ai.tool.name': 'get_weather', 'gen_ai.tool.type': 'function' }, 1],
    ]);
    expect(tools[0]!.sum).toBeGreaterThanOrEqual((TOOL_MS - 5) / 1000);
    expect(turnsByReason(await bed.metrics.points(TURNS))).toEqual({ completed: 2 });
    // The function call's response had no audio; the answer after the tool ran is measured from the user's speech.
    const latency = await bed.metrics.point(LATENCY);
    expect(latency?.count).toBe(1);
    expect(latency?.sum).toBeGreaterThanOrEqual((TOOL_MS - 5) / 1000);
  });

  it('ends a failed response as an error turn, with the failure code on the duration', async () => {
    await session('response-failed', async (app) => {
      app.speak(480);
      await app.waitFor('response.done');
    });
    expect(turnsByReason(await bed.metrics.points(TURNS))).toEqual({ error: 1 });
    const failed = (await bed.metrics.points(DURATION)).map((point) => [
      point.attributes['error.type'],
      point.count,
    ]);
    expect(failed).toEqual([['server_error', 1]]);
    expect(await bed.metrics.points(LATENCY)).toEqual([]);
  });

  it('counts an error event by its code, and the turn it answered as an error', async () => {
    await session('error-event', async (app) => {
      app.speak(480);
      await app.waitFor('error');
    });
    expect(
      await bed.metrics.value(ERRORS, {
        ...PROVIDER,
        // The scenario rides on the model name the app dialled.
        'gen_ai.request.model': `${MODEL}@error-event`,
        'error.type': 'server_error',
      }),
    ).toBe(1);
    expect(turnsByReason(await bed.metrics.points(TURNS))).toEqual({ error: 1 });
  });

  it('closes the open turn as abandoned and the session when the socket is cut mid-reply', async () => {
    const app = await openConnection(realtime, bed.server, `${MODEL}@cut-after-audio:2`);
    await app.waitFor('session.created');
    app.speak(480);
    await app.closed;
    expect(turnsByReason(await bed.metrics.points(TURNS))).toEqual({ abandoned: 1 });
    expect(await bed.metrics.value(ACTIVE)).toBe(0);
    expect(await bed.metrics.point(SESSION_TURNS)).toMatchObject({ count: 1, sum: 1 });
    // The cut response reported neither a duration nor usage.
    expect(await bed.metrics.points(DURATION)).toEqual([]);
    expect(await bed.metrics.points(TOKENS)).toEqual([]);
  });

  it.each([
    ['gpt-4o-transcribe', 'tokens'],
    ['whisper-1', 'duration'],
  ])('counts input transcription with %s, billed by %s', async (transcriptionModel, billing) => {
    await session('', async (app) => {
      app.rt.send({
        type: 'session.update',
        session: { type: 'realtime', audio: { input: { transcription: { model: transcriptionModel } } } },
      });
      await app.waitFor('session.updated');
      app.speak(480);
      await app.waitFor('response.done');
    });
    const [usage] = bed.server.realtimeSessions[0]!.transcriptions as unknown as Array<
      Record<string, number>
    >;
    const transcription = (await bed.metrics.points(TOKENS)).filter(
      (point) => point.attributes['gen_ai.operation.name'] === 'transcription',
    );
    if (billing === 'tokens') {
      expect(transcription.map((point) => [point.attributes, point.sum])).toEqual([
        [
          {
            'gen_ai.operation.name': 'transcription',
            ...PROVIDER,
            'gen_ai.request.model': transcriptionModel,
            'server.address': '127.0.0.1',
            'server.port': bed.server.port,
            'gen_ai.token.type': 'input',
            'gen_ai.token.modality': 'audio',
          },
          usage!.input_tokens,
        ],
        [
          {
            'gen_ai.operation.name': 'transcription',
            ...PROVIDER,
            'gen_ai.request.model': transcriptionModel,
            'server.address': '127.0.0.1',
            'server.port': bed.server.port,
            'gen_ai.token.type': 'output',
          },
          usage!.output_tokens,
        ],
      ]);
      expect(await bed.metrics.points('voice.stt.audio.duration')).toEqual([]);
    } else {
      expect(transcription).toEqual([]);
      expect(await bed.metrics.value('voice.stt.audio.duration')).toBe(usage!.seconds);
    }
  });

  it('counts a session once when instrumentOpenAI() also wraps a connection of the patched module', async () => {
    const app = await openConnection(realtime, bed.server, MODEL, (rt) =>
      instrumentOpenAI(rt, { meterProvider: bed.metrics.meterProvider }),
    );
    await app.waitFor('session.created');
    app.speak(480);
    await app.waitFor('response.done');
    await app.close();
    expect(turnsByReason(await bed.metrics.points(TURNS))).toEqual({ completed: 1 });
    expect(totalCount(await bed.metrics.points(DURATION))).toBe(1);
    expect(await bed.metrics.point(SESSION_TURNS)).toMatchObject({ count: 1, sum: 1 });
  });

  it('names the voice metrics after the agent the connection was opened in', async () => {
    const app = await invokeAgent('support-agent', () => openConnection(realtime, bed.server, MODEL));
    await app.waitFor('session.created');
    app.speak(480);
    await app.waitFor('response.done');
    await app.close();
    expect((await bed.metrics.points(TURNS)).map((point) => point.attributes)).toEqual([
      { 'gen_ai.agent.name': 'support-agent', 'voice.turn.end_reason': 'completed' },
    ]);
    // On the GenAI metrics only by opt-in (agentNameOnLLMMetrics), as for every other call.
    const duration = await bed.metrics.points(DURATION);
    expect(duration.map((point) => point.attributes['gen_ai.agent.name'])).toEqual([undefined]);
  });

  it('puts no content in any metric: only names, codes, models and the server', async () => {
    await session('', async (app) => {
      app.rt.send({
        type: 'session.update',
        session: { type: 'realtime', instructions: 'Speak like a pirate captain' },
      });
      app.speak(480);
      await app.waitFor('response.done');
    });
    const { keys, values } = await bed.metrics.allAttributes();
    expect([...keys].sort()).toEqual([
      'gen_ai.operation.name',
      'gen_ai.provider.name',
      'gen_ai.rate_limit.name',
      'gen_ai.request.model',
      'gen_ai.response.model',
      'gen_ai.token.modality',
      'gen_ai.token.type',
      'server.address',
      'server.port',
      'voice.stage',
      'voice.turn.end_reason',
    ]);
    const sent = JSON.stringify(bed.server.realtimeSessions[0]!.sent);
    for (const value of values) {
      if (!/^\d+$/.test(value))
        expect(['pirate', 'captain'].some((word) => value.includes(word))).toBe(false);
    }
    expect(sent).not.toContain('"pirate"');
  });

  it('records nothing once unpatched, and the app sees the same events', async () => {
    for (const patch of realtimePatches()) patch.unpatch(realtime.exports);
    const app = await session('', async (app) => {
      app.speak(480);
      await app.waitFor('response.done');
    });
    expect(app.types).toEqual(
      bed.server.realtimeSessions[0]!.sent.map((event) => (event as { type: string }).type),
    );
    expect(await bed.metrics.points(TURNS)).toEqual([]);
    expect(await bed.metrics.points(DURATION)).toEqual([]);
  });
});

describe.each(GA_REALTIME_MAJORS)('openai %i realtime/ws through instrumentOpenAI(connection)', (major) => {
  const realtime = loadRealtime(major);
  const bed = useRealtimeTestbed(realtime, undefined);

  it('measures the connection in place and returns it', async () => {
    let original: unknown;
    const app = await openConnection(realtime, bed.server, `${MODEL}@barge-in`, (rt) => {
      original = rt;
      const instrumented = instrumentOpenAI(rt, { meterProvider: bed.metrics.meterProvider });
      expect(instrumentOpenAI(instrumented, { meterProvider: bed.metrics.meterProvider })).toBe(rt);
      return instrumented;
    });
    expect(app.rt).toBe(original);
    await app.waitFor('session.created');
    app.speak(480);
    await app.waitFor('response.done', 2);
    await app.close();
    expect(turnsByReason(await bed.metrics.points(TURNS))).toEqual({ interrupted: 1, completed: 1 });
    expect(await bed.metrics.value(INTERRUPTIONS)).toBe(1);
    const expected = reported(bed.server);
    expect(sumOf(await bed.metrics.points(TOKENS), { 'gen_ai.token.type': 'output' })).toBe(
      expected.tokens.output.text + expected.tokens.output.audio,
    );
  });
});

describe.each([4, 6])(
  'openai %i beta/realtime/ws (the beta protocol) patched by OpenAIInstrumentation',
  (major) => {
    const realtime = loadRealtime(major, true);
    const bed = useRealtimeTestbed(realtime, 'openai/beta/realtime/ws');

    it('names a beta function call from its output item (beta arguments.done carries no name)', async () => {
      const app = await openConnection(realtime, bed.server, `${MODEL}@tool-call`);
      await app.waitFor('session.created');
      app.rt.on('response.function_call_arguments.done', (event: { call_id: string }) => {
        app.rt.send({
          type: 'conversation.item.create',
          item: { type: 'function_call_output', call_id: event.call_id, output: '{"temperature":21}' },
        });
        app.rt.send({ type: 'response.create' });
      });
      app.speak(480);
      await app.waitFor('response.done', 2);
      await app.close();
      const tools = await bed.metrics.points(TOOLS);
      expect(tools.map((point) => [point.attributes, point.count])).toEqual([
        [{ 'gen_ai.tool.name': 'get_weather', 'gen_ai.tool.type': 'function' }, 1],
      ]);
      expect(turnsByReason(await bed.metrics.points(TURNS))).toEqual({ completed: 2 });
    });

    it('reads the beta names: a barge-in and a completed reply, their latency, tokens by modality as reported', async () => {
      const app = await openConnection(realtime, bed.server, `${MODEL}@barge-in`);
      await app.waitFor('session.created');
      app.speak(480);
      await app.waitFor('response.done', 2);
      await app.close();
      expect(bed.server.realtimeSessions[0]!.protocol).toBe('beta');
      expect(app.types).toContain('response.audio.delta');
      expect(turnsByReason(await bed.metrics.points(TURNS))).toEqual({ interrupted: 1, completed: 1 });
      expect(await bed.metrics.value(INTERRUPTIONS)).toBe(1);
      expect((await bed.metrics.point(LATENCY))?.count).toBe(2);
      expect(totalCount(await bed.metrics.points(FIRST_CHUNK))).toBe(2);
      const expected = reported(bed.server);
      const tokens = await bed.metrics.points(TOKENS);
      for (const type of ['input', 'output'] as const) {
        for (const modality of ['text', 'audio'] as const) {
          const attributes = { 'gen_ai.token.type': type, 'gen_ai.token.modality': modality };
          expect(sumOf(tokens, attributes), `${type} ${modality}`).toBe(expected.tokens[type][modality]);
        }
      }
    });
  },
);
