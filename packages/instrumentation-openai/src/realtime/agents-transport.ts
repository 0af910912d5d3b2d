// `@openai/agents-realtime`'s WebSocket transport (`OpenAIRealtimeWebSocket`, which a `RealtimeSession`
// with `transport: 'websocket'` creates), fed into a Realtime session observer. Everything is wrapped on
// prototypes; the app's session, transport and socket objects are never replaced, and no listener is
// added to any of them. The transport's own `emit` says most of it, before any listener runs:
// - `connection_change` `connected` / `disconnected`: a connection starts (before the app can send on it)
//   and ends, closed by the app or dropped. The dialled URL is the socket's `url`;
// - `*`: every server event, as the object the transport parsed once, before the transport or the
//   session act on it.
// Client events leave through the socket's `send()` only. `sendEvent(event)` sends the very object it was
// given, so the socket's wrapper reports that object; the few events the transport builds and sends by
// itself (a queued `response.create`, the `response.cancel` of a barge-in) are known to the socket as
// JSON only and are read back from it.
import { type ModulePatch, unwrapMethod, wrapMethod } from '@va/instrumentation-base';
import type { Settings } from '../options.js';
import { endpointOf } from '../provider.js';
import { reportFault } from '../report-fault.js';
import { claimConnection } from './claims.js';
import {
  observeRealtimeSession,
  type RealtimeSessionObserver,
  type RealtimeSessionSource,
} from './session-observer.js';

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

/** Starts observing one connection; the module patch binds it to the instrumentation's settings. */
export type ObserveSession = (source: RealtimeSessionSource) => RealtimeSessionObserver;

interface OpenConnection {
  readonly observer: RealtimeSessionObserver;
  readonly socket: object | undefined;
  /** The object `sendEvent` is sending right now, which the socket's `send` reports as is. */
  sending: unknown;
}

/** Transports this copy of the package measures: claimed at their first connection. */
const measured = new WeakSet<object>();
/** Each measured transport's open connection. */
const byTransport = new WeakMap<object, OpenConnection>();
/** The same connections by their socket, for the socket's `send`. */
const bySocket = new WeakMap<object, OpenConnection>();
/** The `RealtimeSession` that connected each transport: its current agent names the connection. */
const sessionOf = new WeakMap<object, { readonly currentAgent?: { readonly name?: unknown } }>();
/** Socket prototypes whose `send` is wrapped (the `ws` package's `WebSocket`, as a rule). */
const socketPrototypes = new Set<object>();

interface AgentsRealtimeClasses {
  readonly transport: Record<string, unknown> | undefined;
  readonly session: Record<string, unknown> | undefined;
}

function prototypeOf(candidate: unknown): Record<string, unknown> | undefined {
  const prototype =
    typeof candidate === 'function' ? (candidate as { prototype?: unknown }).prototype : undefined;
  return prototype !== null && typeof prototype === 'object'
    ? (prototype as Record<string, unknown>)
    : undefined;
}

/** The prototypes to wrap, from CommonJS exports or an ES module namespace. */
function classesOf(moduleExports: unknown): AgentsRealtimeClasses {
  const exports = moduleExports as Record<string, unknown> | undefined;
  const fallback = exports?.default as Record<string, unknown> | undefined;
  return {
    transport: prototypeOf(exports?.OpenAIRealtimeWebSocket ?? fallback?.OpenAIRealtimeWebSocket),
    session: prototypeOf(exports?.RealtimeSession ?? fallback?.RealtimeSession),
  };
}

/**
 * The session's source: the dialled URL's `model` (Azure: `deployment`), else the model the transport
 * puts in its `session.update` (a custom URL may name none); the agent the session had when it connected.
 */
function sourceOf(transport: object, socket: object | undefined): RealtimeSessionSource {
  const address = (socket as { url?: unknown } | undefined)?.url;
  let url: URL | undefined;
  try {
    if (typeof address === 'string') url = new URL(address);
  } catch {
    url = undefined;
  }
  const azure = url?.searchParams.has('deployment') ?? false;
  const endpoint = endpointOf(url?.href, azure);
  const dialled = url?.searchParams.get('model') || url?.searchParams.get('deployment');
  const current = (transport as { currentModel?: unknown }).currentModel;
  const agentName = sessionOf.get(transport)?.currentAgent?.name;
  return {
    requestModel: dialled || (typeof current === 'string' && current !== '' ? current : undefined),
    serverAddress: endpoint.serverAddress,
    serverPort: endpoint.serverPort,
    providerName: url === undefined ? undefined : endpoint.providerName,
    agentName: typeof agentName === 'string' && agentName !== '' ? agentName : undefined,
  };
}

/** The prototype in the socket's chain that owns `send`. */
function sendOwnerOf(socket: object): object | undefined {
  for (
    let current = Object.getPrototypeOf(socket);
    current !== null;
    current = Object.getPrototypeOf(current)
  ) {
    if (Object.hasOwn(current, 'send')) return current === Object.prototype ? undefined : current;
  }
  return undefined;
}

function wrapSocketSend(socket: object): void {
  const owner = sendOwnerOf(socket);
  if (owner === undefined || socketPrototypes.has(owner)) return;
  if (wrapMethod(owner, 'send', wrapSend)) socketPrototypes.add(owner);
}

/** A connection of a transport opens: the first one claims the transport, each gets its own observer. */
function opened(transport: object, observe: ObserveSession): void {
  // A transport connects again only once disconnected; should it not say so, the old session ends here.
  closed(transport);
  if (!measured.has(transport)) {
    if (!claimConnection(transport)) return;
    measured.add(transport);
  }
  const state = (transport as { connectionState?: { websocket?: unknown } }).connectionState;
  const websocket = state?.websocket;
  const socket = websocket !== null && typeof websocket === 'object' ? websocket : undefined;
  const connection: OpenConnection = {
    observer: observe(sourceOf(transport, socket)),
    socket,
    sending: undefined,
  };
  byTransport.set(transport, connection);
  if (socket !== undefined) {
    bySocket.set(socket, connection);
    wrapSocketSend(socket);
  }
}

function closed(transport: object): void {
  const connection = byTransport.get(transport);
  if (connection === undefined) return;
  byTransport.delete(transport);
  if (connection.socket !== undefined) bySocket.delete(connection.socket);
  connection.observer.closed();
}

/** A client event as sent: the object `sendEvent` was given, else the JSON the socket got, read back. */
function sentEvent(connection: OpenConnection, data: unknown): unknown {
  const sending = connection.sending;
  connection.sending = undefined;
  if (sending !== undefined) return sending;
  if (typeof data !== 'string') return undefined;
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

function wrapSend(original: AnyFunction): AnyFunction {
  return function send(this: unknown, ...args: unknown[]) {
    const connection = typeof this === 'object' && this !== null ? bySocket.get(this) : undefined;
    if (connection === undefined) return Reflect.apply(original, this, args);
    // Read before sending: the object is released once `sendEvent` returns.
    let event: unknown;
    try {
      event = sentEvent(connection, args[0]);
    } catch (error) {
      reportFault('reading a Realtime client event', error);
    }
    const result = Reflect.apply(original, this, args);
    if (event !== undefined) {
      try {
        connection.observer.clientEvent(event);
      } catch (error) {
        reportFault('observing a Realtime client event', error);
      }
    }
    return result;
  };
}

function wrapEmit(observe: ObserveSession) {
  return (original: AnyFunction): AnyFunction =>
    function emit(this: unknown, ...args: unknown[]) {
      if ((args[0] === '*' || args[0] === 'connection_change') && typeof this === 'object' && this !== null) {
        try {
          if (args[0] === '*') byTransport.get(this)?.observer.serverEvent(args[1]);
          else if (args[1] === 'connected') opened(this, observe);
          else if (args[1] === 'disconnected') closed(this);
        } catch (error) {
          reportFault('observing a Realtime connection', error);
        }
      }
      return Reflect.apply(original, this, args);
    };
}

function wrapSendEvent(original: AnyFunction): AnyFunction {
  return function sendEvent(this: unknown, ...args: unknown[]) {
    const connection = typeof this === 'object' && this !== null ? byTransport.get(this) : undefined;
    const event = args[0] as { type?: unknown } | null | undefined;
    // A `response.create` waits in the transport's queue and leaves as a copy with an `event_id`.
    if (
      connection === undefined ||
      event === null ||
      typeof event !== 'object' ||
      event.type === 'response.create'
    ) {
      return Reflect.apply(original, this, args);
    }
    const outer = connection.sending;
    connection.sending = event;
    try {
      return Reflect.apply(original, this, args);
    } finally {
      connection.sending = outer;
    }
  };
}

function wrapConnect(original: AnyFunction): AnyFunction {
  return function connect(this: unknown, ...args: unknown[]) {
    try {
      const transport = (this as { transport?: unknown } | null)?.transport;
      if (typeof transport === 'object' && transport !== null) sessionOf.set(transport, this as object);
    } catch (error) {
      reportFault('observing a RealtimeSession', error);
    }
    return Reflect.apply(original, this, args);
  };
}

/** Wraps a loaded `@openai/agents-realtime` (idempotent); each new connection gets `observe(source)`. */
export function patchAgentsRealtime(moduleExports: unknown, observe: ObserveSession): void {
  const { transport, session } = classesOf(moduleExports);
  if (transport !== undefined) {
    wrapMethod(transport, 'emit', wrapEmit(observe));
    wrapMethod(transport, 'sendEvent', wrapSendEvent);
  }
  if (session !== undefined) wrapMethod(session, 'connect', wrapConnect);
}

/**
 * Undoes {@link patchAgentsRealtime}. The sockets' `send` is unwrapped too; a connection of another
 * patched copy of the package that is open now then reports no more client events.
 */
export function unpatchAgentsRealtime(moduleExports: unknown): void {
  const { transport, session } = classesOf(moduleExports);
  if (transport !== undefined) {
    for (const name of ['emit', 'sendEvent']) unwrapMethod(transport, name);
  }
  if (session !== undefined) unwrapMethod(session, 'connect');
  for (const prototype of socketPrototypes) unwrapMethod(prototype, 'send');
  socketPrototypes.clear();
}

/**
 * The patch of `@openai/agents-realtime` (CommonJS and ES module alike): 0.1.0, its first release on
 * the GA Realtime protocol, through the current 0.x line.
 */
export function agentsRealtimePatches(getSettings: () => Settings): ModulePatch[] {
  const observe: ObserveSession = (source) => observeRealtimeSession(getSettings(), source);
  return [
    {
      module: '@openai/agents-realtime',
      versions: { minimum: '0.1.0', below: '1' },
      patch: (moduleExports) => patchAgentsRealtime(moduleExports, observe),
      unpatch: (moduleExports) => unpatchAgentsRealtime(moduleExports),
    },
  ];
}
