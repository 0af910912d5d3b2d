import type { GenAIClientOptions } from '@va/instrumentation-genai';

/**
 * The options every LLM client takes (@va/instrumentation-genai), over the process's `VA_GENAI_*`
 * defaults. `providerName` defaults to `anthropic`, whatever the client's `baseURL`.
 */
export type AnthropicInstrumentationOptions = GenAIClientOptions;
