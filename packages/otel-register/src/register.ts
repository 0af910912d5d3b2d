import { diag, metrics } from '@opentelemetry/api';
import { type Instrumentation, registerInstrumentations } from '@opentelemetry/instrumentation';
import { setDefaultOptions } from '@va/instrumentation-openai';
import {
  logLevelOf,
  type MetricsSdk,
  OTEL_SDK_DISABLED,
  readVariable,
  start,
  useConsoleDiagLogger,
} from '@va/otel-sdk';
import { guardedMeterProvider } from './guarded-meter-provider.js';
import { recordHttpServerMetrics } from './http-server/http-server-metrics.js';
import { createUpstreamInstrumentation, type InstrumentationName } from './instrumentation-catalogue.js';
import { openAIOptionsFromEnvironment } from './openai-options.js';
import { recordProcessMetrics } from './process-metrics.js';
import { selectInstrumentations } from './select-instrumentations.js';
import { shutdownOnSignals } from './shutdown-on-signals.js';
import { PACKAGE_VERSION } from './version.js';

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
    if (readVariable(OTEL_SDK_DISABLED, process.env)) return undefined;
    const registration = registerNow();
    global[REGISTERED] = registration;
    return registration;
  } catch (error) {
    logger.error('could not start; the application runs without metrics', error);
    return undefined;
  }
}

function registerNow(): Registration {
  const sdk = start();
  const { configuration } = sdk;
  const names = selectInstrumentations(
    configuration.enabledInstrumentations,
    configuration.disabledInstrumentations,
  );
  // The VA_GENAI_* variables apply to the patched module and to clients wrapped with
  // instrumentOpenAI() alike, even when the openai patch itself is disabled.
  setDefaultOptions(openAIOptionsFromEnvironment(process.env));
  const upstream = names
    .map((name) => createUpstreamInstrumentation(name, configuration.httpServerInstrumentation))
    .filter((instrumentation): instrumentation is Instrumentation => instrumentation !== undefined);
  let recordingFaultLogged = false;
  const unregister = registerInstrumentations({
    instrumentations: upstream,
    // A fault while recording must not escape upstream code into the app (see guarded-meter-provider.ts).
    meterProvider: guardedMeterProvider(sdk.meterProvider, (error) => {
      if (recordingFaultLogged) return;
      recordingFaultLogged = true;
      logger.error('recording a metric failed; the application goes on, some data may be missing', error);
    }),
  });

  const meter = sdk.meterProvider.getMeter(METER_NAME, PACKAGE_VERSION);
  const ourServerPath = configuration.httpServerInstrumentation === 'va';
  const httpServer = names.includes('http')
    ? recordHttpServerMetrics(meter, {
        duration: ourServerPath,
        expressRoutes: ourServerPath && names.includes('express'),
        fastifyRoutes: ourServerPath && names.includes('fastify'),
      })
    : undefined;
  if (names.includes('process')) recordProcessMetrics(meter);

  let stopping: Promise<void> | undefined;
  const registration: Registration = {
    sdk,
    instrumentations: names,
    shutdown() {
      stopping ??= (async () => {
        removeSignalListeners();
        httpServer?.stop();
        unregister();
        await sdk.shutdown();
      })();
      return stopping;
    },
  };
  const removeSignalListeners = shutdownOnSignals(() => registration.shutdown());
  // Push exporters flush when the app ends by itself; beforeExit fires only when nothing else is pending.
  process.once('beforeExit', () => void registration.shutdown());

  logStart(sdk, names);
  return registration;
}

function logStart(sdk: MetricsSdk, names: readonly InstrumentationName[]): void {
  const { configuration } = sdk;
  const role = sdk.processRole;
  const prometheusAt =
    role.kind === 'cluster-worker'
      ? 'prometheus through the cluster primary'
      : role.kind === 'worker-thread'
        ? 'prometheus through the main thread'
        : `prometheus on http://${configuration.prometheus.host}:${role.kind === 'pm2' && configuration.prometheus.port !== 0 ? configuration.prometheus.port + role.instance : configuration.prometheus.port}/metrics`;
  const where = configuration.exporters.map((exporter) =>
    exporter === 'prometheus'
      ? prometheusAt
      : exporter === 'otlp'
        ? `otlp to ${configuration.otlp.url}`
        : exporter,
  );
  logger.info(`metrics: ${where.join(', ') || 'no exporter'}; instrumentations: ${names.join(', ')}`);
  // Touch the API so a mismatched @opentelemetry/api copy shows up here, not as silent no-data.
  if (metrics.getMeterProvider() !== sdk.meterProvider) {
    logger.warn(
      'another global MeterProvider is registered; metrics recorded through the global API go there',
    );
  }
}
