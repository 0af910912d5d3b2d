// The application's own NodeSDK with @va inside it (library mode): our reader, views and
// instrumentations passed in, beside its auto-instrumentations and its own OTLP metrics reader.
'use strict';
const { NodeSDK } = require('@opentelemetry/sdk-node');
const { getNodeAutoInstrumentations } = require('@opentelemetry/auto-instrumentations-node');
const { PeriodicExportingMetricReader } = require('@opentelemetry/sdk-metrics');
const { OTLPMetricExporter } = require('@opentelemetry/exporter-metrics-otlp-http');
const { vaNodeSdkOptions } = require('@va/otel-register/node-sdk');
const { spanFileProcessor } = require('./span-file.cjs');

const va = vaNodeSdkOptions();
const sdk = new NodeSDK({
  spanProcessors: [spanFileProcessor(process.env.SPANS_FILE)],
  metricReaders: [
    ...va.metricReaders,
    new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter(), exportIntervalMillis: 1000 }),
  ],
  views: va.views,
  instrumentations: [
    getNodeAutoInstrumentations({
      '@opentelemetry/instrumentation-fs': { enabled: false },
      '@opentelemetry/instrumentation-net': { enabled: false },
      '@opentelemetry/instrumentation-dns': { enabled: false },
    }),
    ...va.instrumentations,
  ],
});
sdk.start();
process.once('SIGTERM', () => {
  sdk.shutdown().finally(() => process.exit(0));
});
