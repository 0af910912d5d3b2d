import { register as registerLoaderHook } from 'node:module';
import { hookImportsThrough } from '@va/instrumentation-base';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import { importHooksInPlace } from './import-hooks-in-place.js';
import { register } from './register.js';
import { datadogImportInTheMiddle } from './tracer-import-hooks.js';

// `node --import @va/otel-register app.mjs` loads this file. ES modules are not loaded through
// require(), so the instrumentations can only patch them through a loader hook, registered before
// the app's own imports are resolved. The message channel lets import-in-the-middle wrap just the
// modules an instrumentation asked for, instead of every module the app imports.
//
// When the application's own OpenTelemetry setup registered import-in-the-middle's loader before us,
// a second registration would replace its list of modules with ours, and its instrumentations of
// every other module would stop working: our hooks then ride on the loader in place. dd-trace
// registers a loader of its own copy of import-in-the-middle: our hooks go through that copy.
let acknowledged: () => Promise<void> = async () => undefined;
const datadogCopy = datadogImportInTheMiddle();
if (datadogCopy !== undefined) {
  hookImportsThrough(datadogCopy as Parameters<typeof hookImportsThrough>[0]);
} else if (!importHooksInPlace()) {
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  registerLoaderHook('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);
  acknowledged = waitForAllMessagesAcknowledged;
}

register();
await acknowledged();

export { setHttpRoute } from './http-server/http-route.js';
export { INSTRUMENTATION_NAMES, type InstrumentationName } from './instrumentation-catalogue.js';
export { type Registration, register } from './register.js';
