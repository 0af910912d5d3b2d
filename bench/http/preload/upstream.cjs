// The upstream variant, set up as a user following the OpenTelemetry JS docs would for metrics only:
// instrumentation-http (+ instrumentation-express) on a MeterProvider whose one reader is
// exporter-prometheus. No tracing SDK. A context manager is registered because without one
// instrumentation-express cannot hand the route template to instrumentation-http (no http.route).
//   OTEL_EXPORTER_PROMETHEUS_PORT=9464 node --require ./preload/upstream.cjs apps/express.cjs
const { context, metrics } = require('@opentelemetry/api');
const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
const { PrometheusExporter } = require('@opentelemetry/exporter-prometheus');
const { registerInstrumentations } = require('@opentelemetry/instrumentation');
const { ExpressInstrumentation } = require('@opentelemetry/instrumentation-express');
const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http');
const { MeterProvider } = require('@opentelemetry/sdk-metrics');

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const exporter = new PrometheusExporter({
  host: '127.0.0.1',
  port: Number(process.env.OTEL_EXPORTER_PROMETHEUS_PORT ?? 9464),
});
const meterProvider = new MeterProvider({ readers: [exporter] });
metrics.setGlobalMeterProvider(meterProvider);
registerInstrumentations({
  instrumentations: [new HttpInstrumentation(), new ExpressInstrumentation()],
  meterProvider,
});
