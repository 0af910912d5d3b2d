export type { ModelPrice, PriceTable } from '@va/instrumentation-genai';
export { errorTypeOf } from '@va/instrumentation-genai';
export { instrumentGoogleGenAI } from './instrument-google-genai.js';
export { GoogleGenAIInstrumentation, type GoogleGenAIInstrumentationConfig } from './instrumentation.js';
export type { GoogleGenAIInstrumentationOptions } from './options.js';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';
