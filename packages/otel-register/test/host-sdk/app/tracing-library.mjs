// The ES module form of tracing-library.cjs.
import { register } from 'node:module';
import { createAddHookMessageChannel } from 'import-in-the-middle';

const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);

const { NodeSDK } = await import('@opentelemetry/sdk-node');
const { getNodeAutoInstrumentations } = await import('@opentelemetry/auto-instrumentations-node');
const { PeriodicExportingMetricReader } = await import('@opentelemetry/sdk-metrics');
const { OTLPMetricExporter } = await import('@opentelemetry/exporter-metrics-otlp-http');
const { vaNodeSdkOptions } = await import('@va/otel-register/node-sdk');
const { spanFileProcessor } = await import('./span-file.cjs');

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
await waitForAllMessagesAcknowledged();
process.once('SIGTERM', () => {
  sdk.shutdown().finally(() => process.exit(0));
});
