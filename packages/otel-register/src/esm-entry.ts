import { register as registerLoaderHook } from 'node:module';
import { createAddHookMessageChannel } from 'import-in-the-middle';
import { register } from './register.js';

// `node --import @va/otel-register app.mjs` loads this file. ES modules are not loaded through
// require(), so the instrumentations can only patch them through a loader hook, registered before
// the app's own imports are resolved. The message channel lets import-in-the-middle wrap just the
// modules an instrumentation asked for, instead of every module the app imports.
const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
registerLoaderHook('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);

register();
await waitForAllMessagesAcknowledged();

export { setHttpRoute } from './http-server/http-route.js';
export { INSTRUMENTATION_NAMES, type InstrumentationName } from './instrumentation-catalogue.js';
export { type Registration, register } from './register.js';
