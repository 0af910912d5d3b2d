import type { ModulePatch } from '@va/instrumentation-base';
import {
  type RecordedRealtimeSession,
  type StartedServer,
  startOpenAICompatibleServer,
} from '@va/openai-compatible-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { OpenAIInstrumentation } from '../src/index.js';
import { resolveSettings } from '../src/options.js';
import {
  agentsRealtimePatches,
  type ObserveSession,
  patchAgentsRealtime,
  unpatchAgentsRealtime,
} from '../src/realtime/agents-transport.js';
import type { RealtimeSessionSource } from '../src/realtime/session-observer.js';
import {
  AGENTS_REALTIME_RUNS,
  AGENTS_REALTIME_SKIPPED,
  type AgentsRealtime,
  type AnyModule,
  importAgentsRealtime,
  loadAgentsRealtime,
} from './support/agents-realtime.js';
import { TestMetrics, totalCount, until } from './support/metrics.js';

/** 240 ms of 24 kHz 16-bit mono audio, as the app would stream it. */
const SPEECH = () => new ArrayBuffer(240 * 48);

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

/** What a fake observer was handed, per connection. */
interface ObservedConnection {
  readonly source: RealtimeSessionSource;
  readonly server: Record<string, unknown>[];
  readonly client: Record<string, unknown>[];
  /** Both directions in the order they reached the observer: `server <type>` / `client <type>`. */
  readonly order: string[];
  closed: number;
}

function recordingObserver(): { observe: ObserveSession; connections: ObservedConnection[] } {
  const connections: ObservedConnection[] = [];
  const observe: ObserveSession = (source) => {
    const connection: ObservedConnection = { source, server: [], client: [], order: [], closed: 0 };
    connections.push(connection);
    return {
      serverEvent(event) {
        connection.server.push(event as Record<string, unknown>);
        connection.order.push(`server ${(event as { type: string }).type}`);
      },
      clientEvent(event) {
        connection.client.push(event as Record<string, unknown>);
        connection.order.push(`client ${(event as { type: string }).type}`);
      },
      closed() {
        connection.closed++;
      },
    };
  };
  return { observe, connections };
}

/** One conversation of the app: what it saw, and what its tool was called with. */
interface Conversation {
  readonly session: AnyModule;
  /** The session's own events, in order (server events as `transport_event <type>`). */
  readonly seen: string[];
  readonly toolCalls: unknown[];
}

const SESSION_EVENTS = [
  'agent_start',
  'agent_end',
  'agent_tool_start',
  'agent_tool_end',
  'audio_start',
  'audio_stopped',
  'audio_interrupted',
  'history_added',
  'error',
];

/**
 * A voice agent as an app writes it: a RealtimeAgent with one tool in a RealtimeSession on the
 * WebSocket transport, dialling the bundled server, streaming speech with `sendAudio()`. Resolves once
 * `responses` responses are done (or the socket dropped), after the stream has settled.
 */
async function converse(
  agents: AgentsRealtime,
  server: StartedServer,
  scenario: string | undefined,
  responses: number,
): Promise<Conversation> {
  const { RealtimeAgent, RealtimeSession, tool } = agents.exports;
  const toolCalls: unknown[] = [];
  const getWeather = tool({
    name: 'get_weather',
    description: 'The weather in a city',
    parameters: agents.z.object({ city: agents.z.string() }),
    execute: async (input: { city: string }) => {
      toolCalls.push(input);
      return `Sunny in ${input.city}`;
    },
  });
  const agent = new RealtimeAgent({ name: 'Greeter', instructions: 'Answer briefly.', tools: [getWeather] });
  const session = new RealtimeSession(agent, { transport: 'websocket', model: 'gpt-realtime' });
  const seen: string[] = [];
  session.on('transport_event', (event: { type: string }) => seen.push(`transport_event ${event.type}`));
  for (const name of SESSION_EVENTS) session.on(name, () => seen.push(name));
  let disconnected = false;
  session.transport.on('disconnected', () => {
    disconnected = true;
  });
  const model = scenario === undefined ? 'gpt-realtime' : `gpt-realtime@${scenario}`;
  await session.connect({
    apiKey: 'test',
    url: `${server.baseURL.replace(/^http/, 'ws')}/realtime?model=${model}`,
  });
  // The transport's own two `session.update`s (its config, then tracing) are answered before the user
  // speaks, so every run sends in the same order.
  const updated = () => seen.filter((event) => event === 'transport_event session.updated').length;
  await until(() => updated() >= 2, 'the session updates');
  session.sendAudio(SPEECH());
  session.sendAudio(SPEECH());
  const done = () => seen.filter((event) => event === 'transport_event response.done').length;
  await until(() => done() >= responses || disconnected, `${responses} responses`);
  await settle();
  return { session, seen, toolCalls };
}

function types(events: readonly Record<string, unknown>[]): unknown[] {
  return events.map((event) => event['type']);
}

describe.skipIf(!AGENTS_REALTIME_RUNS)(
  `@openai/agents-realtime: the WebSocket transport of a RealtimeSession feeds one observer per connection${AGENTS_REALTIME_SKIPPED}`,
  () => {
    let agents: AgentsRealtime;
    let server: StartedServer;
    let recorder: ReturnType<typeof recordingObserver>;

    beforeAll(async () => {
      agents = loadAgentsRealtime();
      server = await startOpenAICompatibleServer();
    });
    afterAll(async () => {
      await server?.close();
    });
    afterEach(() => {
      unpatchAgentsRealtime(agents.exports);
      server.reset();
    });

    function patched(): void {
      recorder = recordingObserver();
      patchAgentsRealtime(agents.exports, recorder.observe);
    }

    /** The one connection observed: exactly the events the server recorded, each once, in order. */
    function onlyConnection(): ObservedConnection {
      expect(recorder.connections).toHaveLength(1);
      expect(server.realtimeSessions).toHaveLength(1);
      const connection = recorder.connections[0]!;
      const record = server.realtimeSessions[0]!;
      expect(connection.server).toEqual(record.sent);
      expect(connection.client).toEqual(record.received);
      return connection;
    }

    it('a completed turn: the source names the dialled model, the server and the agent; every event once; closed once', async () => {
      patched();
      const { session } = await converse(agents, server, undefined, 1);
      session.close();
      const connection = onlyConnection();
      expect(connection.source).toEqual({
        requestModel: 'gpt-realtime',
        serverAddress: '127.0.0.1',
        serverPort: server.port,
        providerName: '127.0.0.1',
        agentName: 'Greeter',
      });
      expect(types(connection.client)).toEqual([
        'session.update',
        'session.update',
        'input_audio_buffer.append',
        'input_audio_buffer.append',
        'conversation.item.retrieve',
      ]);
      expect(connection.order.slice(-2)).toEqual(['server conversation.item.done', 'server response.done']);
      expect(server.realtimeSessions[0]!.responses.map((response) => response.status)).toEqual(['completed']);
      expect(connection.closed).toBe(1);
    });

    it('a barge-in: the cancel and truncate the transport sends by itself are reported after the speech that caused them', async () => {
      patched();
      const { session } = await converse(agents, server, 'barge-in', 2);
      session.close();
      const connection = onlyConnection();
      expect(server.realtimeSessions[0]!.responses.map((response) => response.status)).toEqual([
        'cancelled',
        'completed',
      ]);
      const speech = connection.order.lastIndexOf('server input_audio_buffer.speech_started');
      expect(connection.order.indexOf('client conversation.item.truncate')).toBeGreaterThan(speech);
      expect(connection.closed).toBe(1);
    });

    it("a tool call: the agent's tool runs; its output and the next response.create are reported once each", async () => {
      patched();
      const { session, toolCalls } = await converse(agents, server, 'tool-call', 2);
      session.close();
      const connection = onlyConnection();
      expect(toolCalls).toHaveLength(1);
      const output = connection.client.filter((event) => event['type'] === 'conversation.item.create');
      expect(output).toHaveLength(1);
      expect(output[0]!['item']).toMatchObject({ type: 'function_call_output' });
      expect(types(connection.client).filter((type) => type === 'response.create')).toHaveLength(1);
      expect(connection.order.indexOf('client conversation.item.create')).toBeGreaterThan(
        connection.order.indexOf('server response.function_call_arguments.done'),
      );
      expect(connection.closed).toBe(1);
    });

    it('the socket cut mid-reply: closed() once, with no close by the app', async () => {
      patched();
      const { session } = await converse(agents, server, 'cut-after-audio:2', 1);
      expect(session.transport.status).toBe('disconnected');
      const connection = onlyConnection();
      expect(server.realtimeSessions[0]!.cut).toBe(true);
      expect(connection.closed).toBe(1);
      session.close();
      expect(connection.closed).toBe(1);
    });

    it('an event the app sends as soon as the transport says it is connected is reported', async () => {
      patched();
      const { RealtimeAgent, RealtimeSession } = agents.exports;
      const session = new RealtimeSession(new RealtimeAgent({ name: 'Greeter' }), { transport: 'websocket' });
      session.transport.on('connection_change', (status: string) => {
        if (status === 'connected') session.transport.sendEvent({ type: 'input_audio_buffer.clear' });
      });
      await session.connect({
        apiKey: 'test',
        url: `${server.baseURL.replace(/^http/, 'ws')}/realtime?model=gpt-realtime`,
      });
      await until(() => server.realtimeSessions[0]?.sent.length === 4, 'the answers to the client events');
      session.close();
      const connection = onlyConnection();
      expect(types(connection.client)[0]).toBe('input_audio_buffer.clear');
    });

    it('a second connection of the same session gets an observer of its own', async () => {
      patched();
      const first = await converse(agents, server, undefined, 1);
      first.session.close();
      await first.session.connect({
        apiKey: 'test',
        url: `${server.baseURL.replace(/^http/, 'ws')}/realtime?model=gpt-realtime`,
      });
      first.session.sendAudio(SPEECH());
      await until(() => server.realtimeSessions[1]?.responses[0]?.usage !== undefined, 'the second response');
      await settle();
      first.session.close();
      expect(recorder.connections).toHaveLength(2);
      expect(recorder.connections.map((connection) => connection.closed)).toEqual([1, 1]);
      expect(recorder.connections[1]!.server).toEqual(server.realtimeSessions[1]!.sent);
      expect(recorder.connections[1]!.client).toEqual(server.realtimeSessions[1]!.received);
    });

    it('the ES module namespace is patched the same way', async () => {
      const namespace = await importAgentsRealtime();
      recorder = recordingObserver();
      patchAgentsRealtime(namespace, recorder.observe);
      try {
        const esm: AgentsRealtime = { ...agents, exports: namespace };
        const { session } = await converse(esm, server, undefined, 1);
        session.close();
        onlyConnection();
      } finally {
        unpatchAgentsRealtime(namespace);
      }
    });

    it("leaves the app's view unchanged: the same session events and history with and without the patch", async () => {
      const run = async (scenario: string, responses: number) => {
        const { session, seen, toolCalls } = await converse(agents, server, scenario, responses);
        session.close();
        // Item ids are random per run: compared by their order of appearance.
        const ids = new Map<string, string>();
        const history = JSON.parse(
          JSON.stringify(session.history, (key, value) =>
            (key === 'itemId' || key === 'previousItemId') && typeof value === 'string'
              ? (ids.get(value) ?? ids.set(value, `item ${ids.size}`).get(value))
              : value,
          ),
        );
        server.reset();
        return { seen, history, toolCalls };
      };
      // Slow enough that the transport's `conversation.item.retrieve` is answered before the server's
      // next timed event: the two runs then see one order.
      for (const [scenario, responses] of [
        ['tool-call,response-ms:100', 2],
        ['barge-in,response-ms:100,silence-ms:100', 2],
      ] as const) {
        const bare = await run(scenario, responses);
        patched();
        const measured = await run(scenario, responses);
        unpatchAgentsRealtime(agents.exports);
        expect(recorder.connections).toHaveLength(1);
        expect(measured).toEqual(bare);
      }
    });
  },
);

type Usage = NonNullable<RecordedRealtimeSession['responses'][number]['usage']>;

/** Token sums by `<type> <modality>` as the server reported them in every `response.done`, zeros left out. */
function reportedTokens(record: RecordedRealtimeSession): Record<string, number> {
  const sums: Record<string, number> = {};
  const add = (key: string, value: number | undefined) => {
    if (value) sums[key] = (sums[key] ?? 0) + value;
  };
  for (const { usage } of record.responses) {
    if (usage === undefined) continue;
    const input = usage.input_token_details;
    for (const modality of ['text', 'audio', 'image'] as const) {
      add(`input ${modality}`, input[`${modality}_tokens` as keyof Usage['input_token_details']] as number);
      add(`cached ${modality}`, input.cached_tokens_details[`${modality}_tokens` as 'text_tokens']);
    }
    add('output text', usage.output_token_details.text_tokens);
    add('output audio', usage.output_token_details.audio_tokens);
  }
  return sums;
}

/** The same sums as recorded: token usage and cached input of the Realtime responses. */
async function recordedTokens(metrics: TestMetrics): Promise<Record<string, number>> {
  const sums: Record<string, number> = {};
  for (const point of await metrics.points('gen_ai.client.token.usage')) {
    if (point.attributes['gen_ai.operation.name'] !== 'realtime_inference') continue;
    const key = `${point.attributes['gen_ai.token.type']} ${point.attributes['gen_ai.token.modality']}`;
    sums[key] = (sums[key] ?? 0) + (point.sum ?? 0);
  }
  for (const point of await metrics.points('gen_ai.client.inference.usage.cache_read.input_tokens')) {
    const key = `cached ${point.attributes['gen_ai.token.modality']}`;
    sums[key] = (sums[key] ?? 0) + point.value;
  }
  return sums;
}

/** `error` events the server sent, by code. */
function reportedErrors(record: RecordedRealtimeSession): Record<string, number> {
  const codes: Record<string, number> = {};
  for (const event of record.sent) {
    if (event['type'] !== 'error') continue;
    const code = String((event['error'] as { code: string }).code);
    codes[code] = (codes[code] ?? 0) + 1;
  }
  return codes;
}

async function byAttribute(metrics: TestMetrics, name: string, key: string): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const point of await metrics.points(name)) {
    const value = String(point.attributes[key]);
    result[value] = (result[value] ?? 0) + (point.count ?? point.value);
  }
  return result;
}

describe.skipIf(!AGENTS_REALTIME_RUNS)(
  `@openai/agents-realtime: a RealtimeSession measured end to end${AGENTS_REALTIME_SKIPPED}`,
  () => {
    let agents: AgentsRealtime;
    let server: StartedServer;
    let metrics: TestMetrics;
    let patches: readonly ModulePatch[];

    beforeAll(async () => {
      agents = loadAgentsRealtime();
      server = await startOpenAICompatibleServer();
    });
    afterAll(async () => {
      await server?.close();
    });
    beforeEach(() => {
      metrics = new TestMetrics();
      // As the register's require and import hooks hand the module over (see instrumentation.test.ts).
      const instrumentation = new OpenAIInstrumentation({ meterProvider: metrics.meterProvider });
      patches = instrumentation
        .getModulePatches()
        .filter((patch) => patch.module === '@openai/agents-realtime');
      expect(patches).toHaveLength(1);
      for (const patch of patches) patch.patch(agents.exports, '0.20.0');
    });
    afterEach(async () => {
      for (const patch of patches) patch.unpatch(agents.exports);
      server.reset();
      await metrics.shutdown();
    });

    /** What every scenario records the same way: tokens and errors exactly as reported, the session over. */
    async function expectReported(): Promise<void> {
      expect(server.realtimeSessions).toHaveLength(1);
      const record = server.realtimeSessions[0]!;
      expect(await recordedTokens(metrics)).toEqual(reportedTokens(record));
      expect(await byAttribute(metrics, 'gen_ai.client.realtime.errors', 'error.type')).toEqual(
        reportedErrors(record),
      );
      expect(await metrics.value('voice.session.active', { 'gen_ai.agent.name': 'Greeter' })).toBe(0);
      expect((await metrics.point('voice.session.turns', { 'gen_ai.agent.name': 'Greeter' }))?.count).toBe(1);
    }

    it('a completed turn: one turn, its latency, one response with its tokens', async () => {
      const { session } = await converse(agents, server, undefined, 1);
      session.close();
      expect(await byAttribute(metrics, 'voice.turns', 'voice.turn.end_reason')).toEqual({ completed: 1 });
      expect(
        await metrics.point('voice.turns', {
          'gen_ai.agent.name': 'Greeter',
          'voice.turn.end_reason': 'completed',
        }),
      ).toBeDefined();
      expect(totalCount(await metrics.points('voice.turn.response_latency'))).toBe(1);
      expect(totalCount(await metrics.points('gen_ai.client.operation.duration'))).toBe(1);
      expect(totalCount(await metrics.points('gen_ai.client.operation.time_to_first_chunk'))).toBe(1);
      expect(await metrics.points('voice.turn.interruptions')).toEqual([]);
      const [duration] = await metrics.points('gen_ai.client.operation.duration');
      expect(duration!.attributes).toEqual({
        'gen_ai.operation.name': 'realtime_inference',
        'gen_ai.provider.name': '127.0.0.1',
        'gen_ai.request.model': 'gpt-realtime',
        'gen_ai.response.model': 'gpt-realtime',
        'server.address': '127.0.0.1',
        'server.port': server.port,
      });
      await expectReported();
    });

    it('a barge-in: the cancelled response is an interrupted turn and one interruption; its tokens count', async () => {
      const { session } = await converse(agents, server, 'barge-in', 2);
      session.close();
      expect(await byAttribute(metrics, 'voice.turns', 'voice.turn.end_reason')).toEqual({
        interrupted: 1,
        completed: 1,
      });
      expect(await metrics.value('voice.turn.interruptions', { 'gen_ai.agent.name': 'Greeter' })).toBe(1);
      expect(totalCount(await metrics.points('voice.turn.response_latency'))).toBe(2);
      expect(server.realtimeSessions[0]!.responses.map((response) => response.status)).toEqual([
        'cancelled',
        'completed',
      ]);
      await expectReported();
    });

    it("a tool call: the agent's tool is one gen_ai.execute_tool.duration point under its name", async () => {
      const { session, toolCalls } = await converse(agents, server, 'tool-call', 2);
      session.close();
      expect(toolCalls).toHaveLength(1);
      const tools = await metrics.points('gen_ai.execute_tool.duration');
      expect(tools.map((point) => [point.attributes['gen_ai.tool.name'], point.count])).toEqual([
        ['get_weather', 1],
      ]);
      expect(await byAttribute(metrics, 'voice.turns', 'voice.turn.end_reason')).toEqual({ completed: 2 });
      // Only the answer after the tool reached audio.
      expect(totalCount(await metrics.points('voice.turn.response_latency'))).toBe(1);
      await expectReported();
    });

    it('the socket cut mid-reply: the open turn ends abandoned and the session ends', async () => {
      const { session } = await converse(agents, server, 'cut-after-audio:2', 1);
      expect(session.transport.status).toBe('disconnected');
      expect(await byAttribute(metrics, 'voice.turns', 'voice.turn.end_reason')).toEqual({ abandoned: 1 });
      session.close();
      await expectReported();
    });

    it('no double count: a second patch, and a second copy of this package, leave one measurement', async () => {
      for (const patch of agentsRealtimePatches(() =>
        resolveSettings({ meterProvider: metrics.meterProvider }),
      )) {
        patch.patch(agents.exports, '0.20.0');
      }
      // A fresh module graph stands for a second copy of @va/instrumentation-openai: its own wrappers and
      // maps, the process-wide claims.
      vi.resetModules();
      const copy = (await import(
        '../src/realtime/agents-transport.js'
      )) as typeof import('../src/realtime/agents-transport.js');
      const copyPatches = copy.agentsRealtimePatches(() =>
        resolveSettings({ meterProvider: metrics.meterProvider }),
      );
      const prototype = agents.exports.OpenAIRealtimeWebSocket.prototype;
      const ours = prototype.emit;
      for (const patch of copyPatches) patch.patch(agents.exports, '0.20.0');
      // The copy's wrapper sits over ours: both see every connection.
      expect(prototype.emit).not.toBe(ours);
      try {
        const { session } = await converse(agents, server, 'barge-in', 2);
        session.close();
      } finally {
        for (const patch of copyPatches) patch.unpatch(agents.exports);
      }
      expect(await byAttribute(metrics, 'voice.turns', 'voice.turn.end_reason')).toEqual({
        interrupted: 1,
        completed: 1,
      });
      expect(totalCount(await metrics.points('gen_ai.client.operation.duration'))).toBe(2);
      await expectReported();
    });
  },
);
