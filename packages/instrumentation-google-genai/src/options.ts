import type { GenAIClientOptions } from '@va/instrumentation-genai';

/**
 * The options every LLM client takes (@va/instrumentation-genai), over the process's `VA_GENAI_*`
 * defaults. `providerName` defaults to `gcp.vertex_ai` for a client made with `vertexai: true`, else
 * `gcp.gemini`, whatever its base URL.
 */
export type GoogleGenAIInstrumentationOptions = GenAIClientOptions;
