// The ES module form of tracing.cjs: the loader hook first, so `import`ed modules can be patched.
import { register } from 'node:module';
import { createAddHookMessageChannel } from 'import-in-the-middle';

const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);

const { NodeSDK } = await import('@opentelemetry/sdk-node');
const { getNodeAutoInstrumentations } = await import('@opentelemetry/auto-instrumentations-node');
const { spanFileProcessor } = await import('./span-file.cjs');

const sdk = new NodeSDK({
  spanProcessors: [spanFileProcessor(process.env.SPANS_FILE)],
  instrumentations: [
    getNodeAutoInstrumentations({
      '@opentelemetry/instrumentation-fs': { enabled: false },
      '@opentelemetry/instrumentation-net': { enabled: false },
      '@opentelemetry/instrumentation-dns': { enabled: false },
    }),
  ],
});
sdk.start();
await waitForAllMessagesAcknowledged();
process.once('SIGTERM', () => {
  sdk.shutdown().finally(() => process.exit(0));
});
