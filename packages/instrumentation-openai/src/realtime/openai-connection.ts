import { currentAgentName } from '@va/instrumentation-genai';
import type { Settings } from '../options.js';
import { endpointOf } from '../provider.js';
import { reportFault } from '../report-fault.js';
import { claimConnection } from './claims.js';
import type { RealtimeSessionSource } from './realtime-metrics.js';
import { observeRealtimeSession, type RealtimeSessionObserver } from './session-observer.js';

/** What the `openai` Realtime classes (`OpenAIRealtimeWS`, `OpenAIRealtimeWebSocket`, GA and beta) have in common. */
export interface RealtimeConnection {
  readonly url?: unknown;
  readonly socket?: unknown;
}

interface ClosableSocket {
  once?: (event: 'close', listener: () => void) => unknown;
  addEventListener?: (event: 'close', listener: () => void, options: { once: true }) => unknown;
}

/** Sockets one measurer observes; `false` for a socket another measurer claimed first. */
export type SocketObservers = WeakMap<object, RealtimeSessionObserver | false>;

/**
 * The session's source, from the URL the connection dialled (`wss://host/v1/realtime?model=…`), and the
 * agent (`invokeAgent` of @va/instrumentation-agent) the connection was opened in: socket events run in
 * the async context the socket was created in, so the first event still sees it.
 */
function sourceOf(connection: RealtimeConnection): RealtimeSessionSource {
  const url = connection.url instanceof URL ? connection.url : new URL(String(connection.url));
  const model = url.searchParams.get('model') ?? url.searchParams.get('deployment') ?? undefined;
  const httpURL = `${url.protocol === 'ws:' ? 'http:' : 'https:'}//${url.host}${url.pathname}`;
  const endpoint = endpointOf(httpURL, url.searchParams.has('deployment'));
  return {
    requestModel: model,
    serverAddress: endpoint.serverAddress,
    serverPort: endpoint.serverPort,
    providerName: endpoint.providerName,
    agentName: currentAgentName(),
  };
}

/** Calls `onClose` once when the socket closes, without touching its other events (never an `error` listener). */
function onceClosed(socket: ClosableSocket, onClose: () => void): void {
  if (typeof socket.once === 'function') socket.once('close', onClose);
  else if (typeof socket.addEventListener === 'function')
    socket.addEventListener('close', onClose, { once: true });
}

/**
 * The observer of the connection's current socket. One socket is one Realtime session: openai 7's
 * automatic recovery opens a new socket, and the server a new session, so each gets its own observer.
 * The first measurer to meet a socket claims it (claims.ts): the module patch and an explicit
 * `instrumentOpenAI(connection)` never both count one session.
 */
export function observerOf(
  connection: RealtimeConnection,
  settings: Settings,
  observers: SocketObservers,
): RealtimeSessionObserver | undefined {
  const socket = connection.socket;
  if (socket === null || typeof socket !== 'object') return undefined;
  const known = observers.get(socket);
  if (known !== undefined) return known === false ? undefined : known;
  if (!claimConnection(socket)) {
    observers.set(socket, false);
    return undefined;
  }
  try {
    const observer = observeRealtimeSession(settings, sourceOf(connection));
    observers.set(socket, observer);
    onceClosed(socket as ClosableSocket, () => observer.closed());
    return observer;
  } catch (error) {
    observers.set(socket, false);
    reportFault('observing a Realtime connection', error);
    return undefined;
  }
}

interface ListenableConnection extends RealtimeConnection {
  on(event: 'event', listener: (event: unknown) => void): unknown;
}

/** An `openai` Realtime connection (any major, GA or beta): what `instrumentOpenAI` measures in place. */
export function isRealtimeConnection(value: unknown): value is ListenableConnection {
  const candidate = value as { socket?: unknown; url?: unknown; on?: unknown; send?: unknown } | null;
  return (
    candidate !== null &&
    typeof candidate === 'object' &&
    typeof candidate.socket === 'object' &&
    candidate.url !== undefined &&
    typeof candidate.on === 'function' &&
    typeof candidate.send === 'function'
  );
}

/** The sockets of connections measured by `instrumentOpenAI(connection)`. */
const explicitObservers: SocketObservers = new WeakMap();
const listened = new WeakSet<object>();

/**
 * Measures a connection the app hands to `instrumentOpenAI`: one `event` listener, the public way to see
 * every server event. Listening twice is a no-op; a connection the module patch also sees is counted once.
 */
export function listenToConnection(connection: ListenableConnection, settings: Settings): void {
  if (listened.has(connection)) return;
  listened.add(connection);
  connection.on('event', (event: unknown) => {
    try {
      observerOf(connection, settings, explicitObservers)?.serverEvent(event);
    } catch (error) {
      reportFault('observing a Realtime event', error);
    }
  });
}
