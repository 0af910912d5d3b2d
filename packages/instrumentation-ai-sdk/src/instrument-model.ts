import { clientSettingsOf } from '@va/instrumentation-genai';
import { isMeasuredModel, isModel, measuringView } from './measured-model.js';
import type { AISDKInstrumentationOptions } from './options.js';
import { reportFault } from './report-fault.js';

/**
 * Returns a measuring view of an AI SDK model (a language model of `@ai-sdk/openai`,
 * `@ai-sdk/anthropic` or any provider, specification v1 to v4, or an embedding model), for use without
 * the register: pass it to `generateText`, `streamText`, `generateObject`, `streamObject`, `embed`,
 * `embedMany`, an agent, or `wrapLanguageModel`. Each `doGenerate` / `doStream` / `doEmbed` the AI SDK
 * makes is one measured inference call (a `generateText` with tool steps makes several). The model
 * object itself is untouched, and the view returns and throws exactly what it does. A view, or
 * anything that is not a model, is returned as is.
 */
export function instrumentModel<T>(model: T, options?: AISDKInstrumentationOptions): T {
  if (!isModel(model) || isMeasuredModel(model)) return model;
  try {
    return measuringView(model, clientSettingsOf(options));
  } catch (error) {
    reportFault('instrumenting a model', error);
    return model;
  }
}
