import OpenAI from 'openai';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';
import type { RealtimeClientEvent, RealtimeServerEvent } from 'openai/resources/realtime/realtime';
import OpenAI5 from 'openai5';
import { OpenAIRealtimeWS as OpenAIRealtimeWS5 } from 'openai5/realtime/ws';
import type { StartedServer } from '../src/index.js';

/** Audio/pcm at 24 kHz, 16-bit mono: 48 bytes a millisecond. */
export function pcm(ms: number): string {
  return Buffer.alloc(ms * 48, 1).toString('base64');
}

/** Waits on a condition, failing the test (instead of hanging it) after `timeoutMs`. */
export async function until(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A realtime connection through the real `openai` client, and every event it received. */
export interface Connection {
  rt: OpenAIRealtimeWS;
  events: RealtimeServerEvent[];
  errors: Error[];
  /** Resolves with the socket's close code. */
  closed: Promise<number>;
  send(event: RealtimeClientEvent): void;
  types(): string[];
  /** Waits until `count` events of `type` have arrived; returns the last of them. */
  waitFor<T extends RealtimeServerEvent['type']>(
    type: T,
    count?: number,
  ): Promise<Extract<RealtimeServerEvent, { type: T }>>;
}

const open: Connection[] = [];

export function closeConnections(): void {
  for (const connection of open.splice(0)) connection.rt.socket.terminate();
}

/** The `openai` majors whose `realtime/ws` speaks the GA protocol (4 has only the beta one). */
export type GaMajor = 5 | 6;

function realtimeWS(server: StartedServer, model: string, headers: Record<string, string>, major: GaMajor) {
  const props = { model, options: { ca: server.certificate, headers } };
  if (major === 5) {
    const client = new OpenAI5({ apiKey: 'test', baseURL: server.baseURL });
    // Same class shape in both majors; the tests read it through the v6 types.
    return new OpenAIRealtimeWS5(props, client) as unknown as OpenAIRealtimeWS;
  }
  return new OpenAIRealtimeWS(props, new OpenAI({ apiKey: 'test', baseURL: server.baseURL }));
}

/** Dials `wss://` as the client always does, trusting the server's throwaway certificate. */
export async function connect(
  server: StartedServer,
  model: string,
  headers: Record<string, string> = {},
  major: GaMajor = 6,
): Promise<Connection> {
  const rt = realtimeWS(server, model, headers, major);
  const events: RealtimeServerEvent[] = [];
  const errors: Error[] = [];
  rt.on('event', (event) => events.push(event));
  rt.on('error', (error) => errors.push(error));
  const closed = new Promise<number>((resolve) => rt.socket.once('close', (code) => resolve(code)));
  const connection: Connection = {
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
  open.push(connection);
  await new Promise<void>((resolve, reject) => {
    rt.socket.once('open', () => resolve());
    rt.socket.once('error', reject);
  });
  return connection;
}
