/**
 * The OpenTelemetry API keeps its globals (context manager, tracer, meter and propagator) on one
 * object shared by every copy of the API of a major version. Every OpenTelemetry SDK we know
 * registers its context manager there first: NodeSDK.start() (sdk-node 0.2xx and 0.30x) before its
 * MeterProvider, NodeTracerProvider.register() before anything else.
 */
const API_GLOBALS = Symbol.for('opentelemetry.js.api.1');
type ApiGlobals = Record<string, unknown>;

export interface ArrivalWatch {
  /** Stops watching; the API's globals are as they would be without us. */
  cancel(): void;
}

/**
 * Calls `onArrival` synchronously when an OpenTelemetry SDK registers a context manager, before
 * that SDK goes on to register its MeterProvider: the moment to give the global MeterProvider back,
 * so its registration succeeds. Until then `context` reads as unset, exactly as without us; the
 * first registration is stored as a plain property, as the API stores it. Undefined when a context
 * manager is registered already (that SDK arrived before us) or the API holds no globals yet.
 */
export function watchForApplicationSdk(onArrival: () => void): ArrivalWatch | undefined {
  const globals = (globalThis as Record<symbol, ApiGlobals | undefined>)[API_GLOBALS];
  if (globals === undefined || Object.hasOwn(globals, 'context')) return undefined;
  const store = (value: unknown): void => {
    Object.defineProperty(globals, 'context', {
      value,
      writable: true,
      configurable: true,
      enumerable: true,
    });
  };
  const watch = {
    get: (): undefined => undefined,
    set(value: unknown): void {
      store(value);
      try {
        onArrival();
      } catch {
        // Giving globals back must never fail the application's SDK start.
      }
    },
  };
  Object.defineProperty(globals, 'context', { ...watch, configurable: true, enumerable: false });
  return {
    cancel() {
      if (Object.getOwnPropertyDescriptor(globals, 'context')?.set === watch.set) delete globals.context;
    },
  };
}
