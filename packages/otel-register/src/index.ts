import { register } from './register.js';

// `node --require @va/otel-register app.js` loads this file: registering is its side effect.
register();

export { setHttpRoute } from './http-server/http-route.js';
export { INSTRUMENTATION_NAMES, type InstrumentationName } from './instrumentation-catalogue.js';
export { type Registration, register } from './register.js';
