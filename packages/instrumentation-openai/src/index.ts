export type { ModelPrice, PriceTable } from '@va/instrumentation-genai';
export { errorTypeOf } from '@va/instrumentation-genai';
export { instrumentOpenAI } from './instrument-openai.js';
export { OpenAIInstrumentation, type OpenAIInstrumentationConfig } from './instrumentation.js';
export type { OpenAIInstrumentationOptions } from './options.js';
export { OPENAI_VARIABLES } from './variables.js';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';
