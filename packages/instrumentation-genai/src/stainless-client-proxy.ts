type AnyFunction = (...args: unknown[]) => unknown;

/**
 * Wraps one method of an API resource, or returns undefined to leave it alone. `resourcePath` is where
 * the resource sits on the client (`chat.completions`, `messages`, `beta.messages`); `target` is the
 * real resource, the `this` the wrapper must call `original` with.
 */
export type ResourceMethodWrapper = (
  resourcePath: string,
  key: string,
  original: AnyFunction,
  target: object,
) => AnyFunction | undefined;

/** Every proxy made, shared by every LLM client instrumentation and every copy of them, so none is wrapped twice. */
const PROXIES_KEY = Symbol.for('@va/instrumentation-genai.client-proxies');
const globalSlot = globalThis as { [PROXIES_KEY]?: WeakSet<object> };
globalSlot[PROXIES_KEY] ??= new WeakSet<object>();
const proxies = globalSlot[PROXIES_KEY];

/** True for a client view made here: instrumenting it again returns it as is. */
export function isInstrumentedClient(client: object): boolean {
  return proxies.has(client);
}

/** API resources (`client.chat`, `client.messages` …) hold the client they belong to. */
function isResourceOf(value: unknown, client: object): value is object {
  return value !== null && typeof value === 'object' && (value as { _client?: unknown })._client === client;
}

/**
 * An instrumented view of a Stainless-generated client (`openai`, `@anthropic-ai/sdk`): the same client
 * to its caller (`instanceof` holds, every method returns what it returned and throws what it threw),
 * whose resource methods `wrap` chose are measured. The original object is untouched. Helpers
 * (`chat.completions.stream()`, `messages.stream()` …) reach the client through `this._client`, which
 * the view hands them as itself, so their calls are measured too; `withOptions()` derives a view.
 */
export function createStainlessClientProxy<T extends object>(client: T, wrap: ResourceMethodWrapper): T {
  const resourceProxies = new WeakMap<object, object>();
  const wrappedMethods = new WeakMap<object, Map<string, { original: AnyFunction; wrapped: AnyFunction }>>();
  const boundMethods = new Map<PropertyKey, { original: AnyFunction; bound: AnyFunction }>();

  const wrappedMethod = (target: object, path: string, key: string, original: AnyFunction) => {
    let byKey = wrappedMethods.get(target);
    if (byKey === undefined) {
      byKey = new Map();
      wrappedMethods.set(target, byKey);
    }
    const kept = byKey.get(key);
    if (kept !== undefined && kept.original === original) return kept.wrapped;
    const wrapped = wrap(path, key, original, target) ?? original;
    byKey.set(key, { original, wrapped });
    return wrapped;
  };

  const resourceProxy = (resource: object, path: string): object => {
    let proxy = resourceProxies.get(resource);
    if (proxy !== undefined) return proxy;
    proxy = new Proxy(resource, {
      get(target, key) {
        if (key === '_client') return clientProxy;
        const value = Reflect.get(target, key, target);
        if (typeof key !== 'string') return value;
        if (typeof value === 'function' && key !== 'constructor')
          return wrappedMethod(target, path, key, value as AnyFunction);
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
                ? createStainlessClientProxy(derived as object, wrap)
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
