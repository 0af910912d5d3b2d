// The application's own OpenTelemetry setup, as the NodeSDK docs show it: auto-instrumentations,
// spans to an exporter, metrics as the environment says (OTLP by default).
'use strict';
const { NodeSDK } = require('@opentelemetry/sdk-node');
const { getNodeAutoInstrumentations } = require('@opentelemetry/auto-instrumentations-node');
const { spanFileProcessor } = require('./span-file.cjs');

const sdk = new NodeSDK({
  spanProcessors: [spanFileProcessor(process.env.SPANS_FILE)],
  instrumentations: [
    getNodeAutoInstrumentations({
      // Their span counts depend on connection reuse and file access, not on the application's work.
      '@opentelemetry/instrumentation-fs': { enabled: false },
      '@opentelemetry/instrumentation-net': { enabled: false },
      '@opentelemetry/instrumentation-dns': { enabled: false },
    }),
  ],
});
sdk.start();
process.once('SIGTERM', () => {
  sdk.shutdown().finally(() => process.exit(0));
});
