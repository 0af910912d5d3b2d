export type { ModelPrice, PriceTable } from '@va/instrumentation-genai';
export { errorTypeOf } from '@va/instrumentation-genai';
export { instrumentAnthropic } from './instrument-anthropic.js';
export { AnthropicInstrumentation, type AnthropicInstrumentationConfig } from './instrumentation.js';
export type { AnthropicInstrumentationOptions } from './options.js';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';
