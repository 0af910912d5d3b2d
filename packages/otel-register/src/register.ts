import type { AddressInfo } from 'node:net';
import { diag, type MeterProvider } from '@opentelemetry/api';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { createFaultReporter, type MetricsInstrumentation } from '@va/instrumentation-base';
import {
  claimGlobalMeterProvider,
  logLevelOf,
  type MetricsSdk,
  metricsPortOf,
  start,
  useConsoleDiagLogger,
} from '@va/otel-sdk';
import { watchForApplicationSdk } from './application-sdk-arrival.js';
import { globalMeterProviderWithout } from './global-meter-provider.js';
import { guardedMeterProvider } from './guarded-meter-provider.js';
import {
  createInstrumentations,
  createUpstreamServerInstrumentation,
  type InstrumentationName,
  UPSTREAM_SCOPES_MEASURED_BY,
} from './instrumentation-catalogue.js';
import { NOOP_TRACER_PROVIDER } from './noop-tracer-provider.js';
import { readRegisterConfiguration, registerDisabled } from './register-configuration.js';
import { shutdownOnSignals } from './shutdown-on-signals.js';
import { provideContextManager } from './upstream-context.js';
import type { HttpServerInstrumentation } from './variables.js';

export interface Registration {
  readonly sdk: MetricsSdk;
  readonly instrumentations: readonly InstrumentationName[];
  /** Stops instrumenting and shuts the SDK down (flush, close the metrics server). */
  shutdown(): Promise<void>;
}

const METER_NAME = '@va/otel-register';
/** Shared by the CommonJS and ES module copies: `--require` plus `--import` must not register twice. */
const REGISTERED = Symbol.for('@va/otel-register.registration');
type GlobalWithRegistration = typeof globalThis & { [REGISTERED]?: Registration | null };

const logger = diag.createComponentLogger({ namespace: METER_NAME });

/**
 * Everything `node --require @va/otel-register` does, from the environment alone: start the SDK
 * and its readers, load the instrumentations, flush on exit. Never throws: a fault here is logged
 * and the app starts without metrics rather than not at all.
 */
export function register(): Registration | undefined {
  const global = globalThis as GlobalWithRegistration;
  if (global[REGISTERED] !== undefined) return global[REGISTERED] ?? undefined;
  global[REGISTERED] = null;
  try {
    // The logger first: every warning about the configuration must reach the console.
    useConsoleDiagLogger(logLevelOf(process.env));
    if (registerDisabled(process.env)) return undefined;
    const registration = registerNow();
    global[REGISTERED] = registration;
    return registration;
  } catch (error) {
    logger.error('could not start; the application runs without metrics', error);
    return undefined;
  }
}

function registerNow(): Registration {
  // The global MeterProvider is claimed below, through a filter; @va's helpers record into ours anyway.
  const sdk = start({ registerGlobal: false });
  const { instrumentations: names, httpServerInstrumentation } = readRegisterConfiguration(process.env);

  const ourServerPath = httpServerInstrumentation === 'va';
  const instrumentations = enableInstrumentations(names, httpServerInstrumentation, sdk.meterProvider);

  const globals = takeFreeGlobals(sdk.meterProvider, names, ourServerPath);

  let stopping: Promise<void> | undefined;
  const registration: Registration = {
    sdk,
    instrumentations: names,
    shutdown() {
      stopping ??= (async () => {
        removeSignalListeners();
        for (const instrumentation of instrumentations) instrumentation.disable();
        globals.release();
        await sdk.shutdown();
      })();
      return stopping;
    },
  };
  const removeSignalListeners = shutdownOnSignals(() => registration.shutdown());
  // Push exporters flush when the app ends by itself; beforeExit fires only when nothing else is pending.
  process.once('beforeExit', () => void registration.shutdown());

  // Once the preloads and the application's first synchronous run are done: by then an application's
  // own NodeSDK, before or after us, has taken the global MeterProvider or not. The line itself waits
  // for the metrics server's start to settle, so it shows the port bound (OTEL_EXPORTER_PROMETHEUS_PORT=0
  // binds any free one); a pending promise holds no process open.
  setImmediate(() => {
    const globalHeld = globals.held();
    const listening = sdk.prometheus?.listeningAddress() ?? Promise.resolve(undefined);
    listening
      .then((address) => logStart(sdk, names, globalHeld, address))
      .catch((error: unknown) => logger.warn('could not log where metrics are served', error));
  }).unref();
  return registration;
}

/** Ours, enabled on our MeterProvider; on the upstream server path, upstream's with a no-op tracer. */
function enableInstrumentations(
  names: readonly InstrumentationName[],
  httpServer: HttpServerInstrumentation,
  meterProvider: MeterProvider,
): (MetricsInstrumentation | Instrumentation)[] {
  const enabled: (MetricsInstrumentation | Instrumentation)[] = [];
  for (const instrumentation of createInstrumentations(names, httpServer)) {
    instrumentation.setMeterProvider(meterProvider);
    instrumentation.enable();
    enabled.push(instrumentation);
  }
  if (httpServer === 'upstream') {
    // A fault while recording must not escape upstream code into the app (see guarded-meter-provider.ts).
    const reportFault = createFaultReporter(METER_NAME);
    const guarded = guardedMeterProvider(meterProvider, (error) => reportFault('recording a metric', error));
    for (const name of names) {
      const instrumentation = createUpstreamServerInstrumentation(name);
      if (instrumentation === undefined) continue;
      // Metrics only: they must never add spans to an application's own tracing.
      instrumentation.setTracerProvider(NOOP_TRACER_PROVIDER);
      instrumentation.setMeterProvider(guarded);
      instrumentation.enable();
      enabled.push(instrumentation);
    }
  }
  return enabled;
}

interface GlobalsTaken {
  /** Whether our MeterProvider (filtered) is the global one now. */
  held(): boolean;
  release(): void;
}

/**
 * The OpenTelemetry API's globals belong to the application's own SDK when it has one. We take the
 * global MeterProvider only while none is registered (so `metrics.getMeter()` in an app without an
 * SDK reaches /metrics), and on the upstream server path a context manager while none is. When the
 * application's SDK starts after us, we give the MeterProvider back the moment it registers its
 * context manager (application-sdk-arrival.ts), before it registers its own MeterProvider: no
 * duplicate-registration error, and its instrumentations record into its MeterProvider, not into
 * ours a second time.
 */
function takeFreeGlobals(
  provider: MeterProvider,
  names: readonly InstrumentationName[],
  ourServerPath: boolean,
): GlobalsTaken {
  const measuredScopes = new Set(names.flatMap((name) => UPSTREAM_SCOPES_MEASURED_BY[name]));
  const meterProvider = claimGlobalMeterProvider(globalMeterProviderWithout(provider, measuredScopes));
  // Our own server path needs no context; upstream's hands http.route over through it.
  const contextManager = ourServerPath ? undefined : provideContextManager();
  const arrival = meterProvider.held ? watchForApplicationSdk(() => meterProvider.release()) : undefined;
  return {
    held: () => meterProvider.held,
    release() {
      arrival?.cancel();
      meterProvider.release();
      contextManager?.release();
    },
  };
}

function logStart(
  sdk: MetricsSdk,
  names: readonly InstrumentationName[],
  globalHeld: boolean,
  listening: AddressInfo | undefined,
): void {
  const { configuration } = sdk;
  const role = sdk.processRole;
  const { host, port } = configuration.prometheus;
  // The port asked for, should the server not listen (the bridge has warned why).
  const configuredPort = metricsPortOf(role, port);
  const prometheusAt =
    role.kind === 'cluster-worker'
      ? 'prometheus through the cluster primary'
      : role.kind === 'child-process'
        ? 'prometheus through the process that started this one'
        : role.kind === 'worker-thread'
          ? 'prometheus through the main thread'
          : listening !== undefined
            ? `prometheus on http://${host}:${listening.port}/metrics`
            : `prometheus on http://${host}:${configuredPort}/metrics (not listening)`;
  const where = configuration.exporters.map((exporter) =>
    exporter === 'prometheus'
      ? prometheusAt
      : exporter === 'otlp'
        ? `otlp to ${configuration.otlp.url}`
        : exporter,
  );
  const attached = globalHeld
    ? 'global MeterProvider: ours'
    : "beside the application's OpenTelemetry SDK, whose global MeterProvider stays its own";
  logger.info(
    `metrics: ${where.join(', ') || 'no exporter'}; instrumentations: ${names.join(', ')}; ${attached}`,
  );
}
