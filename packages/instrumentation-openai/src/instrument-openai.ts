import { instrumentedCall } from './instrumented-call.js';
import { operationAt } from './operations.js';
import { type OpenAIInstrumentationOptions, resolveSettings, type Settings } from './options.js';
import { isRealtimeConnection, listenToConnection } from './realtime/openai-connection.js';
import { reportFault } from './report-fault.js';

/** Every proxy we made, shared across copies of this package, so none is wrapped twice. */
const PROXIES_KEY = Symbol.for('@va/instrumentation-openai.proxies');
const globalSlot = globalThis as { [PROXIES_KEY]?: WeakSet<object> };
globalSlot[PROXIES_KEY] ??= new WeakSet<object>();
const proxies = globalSlot[PROXIES_KEY];

type AnyFunction = (...args: unknown[]) => unknown;

/** API resources (`client.chat`, `client.chat.completions` …) hold the client they belong to. */
function isResourceOf(value: unknown, client: object): value is object {
  return value !== null && typeof value === 'object' && (value as { _client?: unknown })._client === client;
}

function createClientProxy<T extends object>(client: T, settings: Settings): T {
  const resourceProxies = new WeakMap<object, object>();
  const wrappedCreates = new WeakMap<object, AnyFunction>();
  const boundMethods = new Map<PropertyKey, { original: AnyFunction; bound: AnyFunction }>();

  const resourceProxy = (resource: object, path: string): object => {
    let proxy = resourceProxies.get(resource);
    if (proxy !== undefined) return proxy;
    proxy = new Proxy(resource, {
      get(target, key) {
        // Helpers such as `chat.completions.stream()` and `responses.parse()` call
        // `this._client.<resource>.create()`; handing them the instrumented client measures those too.
        if (key === '_client') return clientProxy;
        const value = Reflect.get(target, key, target);
        if (typeof key !== 'string') return value;
        if (key === 'create' && typeof value === 'function') {
          const operation = operationAt(path);
          if (operation === undefined) return value;
          let wrapped = wrappedCreates.get(target);
          if (wrapped === undefined) {
            const original = value as AnyFunction;
            wrapped = function create(this: unknown, ...args: unknown[]) {
              return instrumentedCall(settings, operation, target, original, args);
            };
            wrappedCreates.set(target, wrapped);
          }
          return wrapped;
        }
        if (isResourceOf(value, client)) return resourceProxy(value, `${path}.${key}`);
        return value;
      },
      set(target, key, value) {
        return Reflect.set(target, key, value, target);
      },
    });
    resourceProxies.set(resource, proxy);
    return proxy;
  };

  const clientProxy: T = new Proxy(client, {
    get(target, key) {
      const value = Reflect.get(target, key, target);
      if (typeof key === 'string' && isResourceOf(value, target)) return resourceProxy(value, key);
      if (typeof value !== 'function' || key === 'constructor') return value;
      // The client keeps state in private class fields, which only work with the real object as `this`.
      const cached = boundMethods.get(key);
      if (cached !== undefined && cached.original === value) return cached.bound;
      const original = value as AnyFunction;
      const bound =
        key === 'withOptions'
          ? function withOptions(...args: unknown[]) {
              // A derived client is measured the same way as the one it came from.
              const derived = Reflect.apply(original, target, args);
              return derived !== null && typeof derived === 'object'
                ? createClientProxy(derived as object, settings)
                : derived;
            }
          : function (this: unknown, ...args: unknown[]) {
              return Reflect.apply(
                original,
                this === clientProxy || this === undefined ? target : this,
                args,
              );
            };
      boundMethods.set(key, { original, bound });
      return bound;
    },
    set(target, key, value) {
      return Reflect.set(target, key, value, target);
    },
  });
  proxies.add(clientProxy);
  return clientProxy;
}

/**
 * Returns an instrumented view of an `openai` client (majors 4 to 7, `OpenAI` or `AzureOpenAI`).
 * It is the same client to its caller: `instanceof` holds, every method returns what it returned
 * and throws what it threw. Calls made through it are measured; the original object is untouched.
 * A client already instrumented is returned as is.
 *
 * A Realtime connection (`OpenAIRealtimeWS` / `OpenAIRealtimeWebSocket`, GA or beta) is measured in
 * place and returned itself: its events are the socket's, so no view could see them. It gains one
 * `event` listener, and its socket one `close` listener.
 */
export function instrumentOpenAI<T extends object>(client: T, options?: OpenAIInstrumentationOptions): T {
  if (client === null || typeof client !== 'object' || proxies.has(client)) return client;
  if (isRealtimeConnection(client)) {
    try {
      listenToConnection(client, resolveSettings(options));
    } catch (error) {
      reportFault('instrumenting a Realtime connection', error);
    }
    return client;
  }
  try {
    return createClientProxy(client, resolveSettings(options));
  } catch (error) {
    reportFault('instrumenting a client', error);
    return client;
  }
}
