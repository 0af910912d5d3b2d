export type { ModelPrice, PriceTable } from '@va/instrumentation-genai';
export { instrumentModel } from './instrument-model.js';
export { AISDKInstrumentation, type AISDKInstrumentationConfig } from './instrumentation.js';
export type { AISDKInstrumentationOptions } from './options.js';
export { providerNameOf } from './provider-name.js';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';
