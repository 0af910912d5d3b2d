import type { GenAIClientOptions } from '@va/instrumentation-genai';

/**
 * The options every LLM client takes (@va/instrumentation-genai). `providerName` overrides the name
 * derived from the AI SDK model's `provider` (providerNameOf()).
 */
export type AISDKInstrumentationOptions = GenAIClientOptions;
