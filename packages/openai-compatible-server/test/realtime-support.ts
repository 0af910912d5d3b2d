import { until } from '@va/test-metrics';
import OpenAI from 'openai';
import { OpenAIRealtimeWS as BetaRealtimeWS } from 'openai/beta/realtime/ws';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';
import type {
  RealtimeClientEvent as BetaClientEvent,
  RealtimeServerEvent as BetaServerEvent,
} from 'openai/resources/beta/realtime/realtime';
import type { RealtimeClientEvent, RealtimeServerEvent } from 'openai/resources/realtime/realtime';
import OpenAI4 from 'openai4';
import { OpenAIRealtimeWS as BetaRealtimeWS4 } from 'openai4/beta/realtime/ws';
import OpenAI5 from 'openai5';
import { OpenAIRealtimeWS as OpenAIRealtimeWS5 } from 'openai5/realtime/ws';
import { expect } from 'vitest';
import { pcmAudio, type RecordedRealtimeSession, type StartedServer } from '../src/index.js';

export { pcmAudio as pcm, until };

/** The part of the `openai` realtime clients (GA and beta, every major) these tests use. */
interface RealtimeClient<Client, Server> {
  socket: OpenAIRealtimeWS['socket'];
  on(event: 'event', listener: (event: Server) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  send(event: Client): void;
}

/** The one session a test opened. */
export function only(sessions: RecordedRealtimeSession[]): RecordedRealtimeSession {
  expect(sessions).toHaveLength(1);
  return sessions[0]!;
}

/** What an app does after a function call, in either protocol: sends its output as an item, then asks for a response. */
export function answerFunctionCall<Client>(
  send: (event: Client) => void,
  callId: string,
  output: string,
): void {
  send({
    type: 'conversation.item.create',
    item: { type: 'function_call_output', call_id: callId, output },
  } as Client);
  send({ type: 'response.create' } as Client);
}

/** A realtime connection through a real `openai` client, and every event it received. */
export interface Connection<
  Client = RealtimeClientEvent,
  Server extends { type: string } = RealtimeServerEvent,
> {
  rt: RealtimeClient<Client, Server>;
  events: Server[];
  errors: Error[];
  /** Resolves with the socket's close code. */
  closed: Promise<number>;
  send(event: Client): void;
  types(): string[];
  /** Waits until `count` events of `type` have arrived; returns the last of them. */
  waitFor<T extends Server['type']>(type: T, count?: number): Promise<Extract<Server, { type: T }>>;
}

/** A connection of a beta client (`OpenAI-Beta: realtime=v1`), typed with the beta events. */
export type BetaConnection = Connection<BetaClientEvent, BetaServerEvent>;

const open: Connection<never, { type: string }>[] = [];

export function closeConnections(): void {
  for (const connection of open.splice(0)) connection.rt.socket.terminate();
}

/** The `openai` majors whose `realtime/ws` speaks the GA protocol (4 has only the beta one). */
export type GaMajor = 5 | 6;

/** The `openai` majors with a beta `beta/realtime/ws` (5 has one too; 4 and 6 are tested). */
export type BetaMajor = 4 | 6;

function realtimeWS(server: StartedServer, model: string, headers: Record<string, string>, major: GaMajor) {
  const props = { model, options: { ca: server.certificate, headers } };
  if (major === 5) {
    const client = new OpenAI5({ apiKey: 'test', baseURL: server.baseURL });
    // Same class shape in both majors; the tests read it through the v6 types.
    return new OpenAIRealtimeWS5(props, client) as unknown as OpenAIRealtimeWS;
  }
  return new OpenAIRealtimeWS(props, new OpenAI({ apiKey: 'test', baseURL: server.baseURL }));
}

function betaRealtimeWS(
  server: StartedServer,
  model: string,
  headers: Record<string, string>,
  major: BetaMajor,
): RealtimeClient<BetaClientEvent, BetaServerEvent> {
  // Both hand `options` to `ws`, and add `OpenAI-Beta: realtime=v1` themselves.
  const props = { model, options: { ca: server.certificate, headers } };
  if (major === 4) {
    const client = new OpenAI4({ apiKey: 'test', baseURL: server.baseURL });
    // Same class shape; the tests read it through openai 6's beta types.
    return new BetaRealtimeWS4(props, client) as unknown as BetaRealtimeWS;
  }
  return new BetaRealtimeWS(props, new OpenAI({ apiKey: 'test', baseURL: server.baseURL }));
}

async function opened<Client, Server extends { type: string }>(
  rt: RealtimeClient<Client, Server>,
): Promise<Connection<Client, Server>> {
  const events: Server[] = [];
  const errors: Error[] = [];
  rt.on('event', (event) => events.push(event));
  rt.on('error', (error) => errors.push(error));
  const closed = new Promise<number>((resolve) => rt.socket.once('close', (code) => resolve(code)));
  const connection: Connection<Client, Server> = {
    rt,
    events,
    errors,
    closed,
    send: (event) => rt.send(event),
    types: () => events.map((event) => event.type),
    async waitFor(type, count = 1) {
      const matching = () => events.filter((event) => event.type === type);
      await until(() => matching().length >= count, `${count} × ${type}`);
      return matching()[count - 1] as never;
    },
  };
  open.push(connection as unknown as Connection<never, { type: string }>);
  await new Promise<void>((resolve, reject) => {
    rt.socket.once('open', () => resolve());
    rt.socket.once('error', reject);
  });
  return connection;
}

/** Dials `wss://` as the client always does, trusting the server's throwaway certificate. */
export function connect(
  server: StartedServer,
  model: string,
  headers: Record<string, string> = {},
  major: GaMajor = 6,
): Promise<Connection> {
  return opened<RealtimeClientEvent, RealtimeServerEvent>(realtimeWS(server, model, headers, major));
}

/** The same through a beta client, which speaks the beta protocol. */
export function connectBeta(
  server: StartedServer,
  model: string,
  major: BetaMajor,
  headers: Record<string, string> = {},
): Promise<BetaConnection> {
  return opened(betaRealtimeWS(server, model, headers, major));
}
