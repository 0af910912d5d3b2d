import {
  type ClientSettings,
  type GenAIClientOptions,
  resolveClientSettings,
  withDefaultOptions,
} from '@va/instrumentation-genai';
import { environmentOptions } from './environment-options.js';

/** The options every LLM client takes (@va/instrumentation-genai), and what only `openai` has. */
export interface OpenAIInstrumentationOptions extends GenAIClientOptions {
  /**
   * `gen_ai.provider.name` for every call; by default derived from the client's `baseURL` (`openai`,
   * `azure.ai.openai`, a known OpenAI-compatible provider, else the host).
   */
  readonly providerName?: string;
  /**
   * Ask the provider for usage on streamed Chat Completions (`stream_options.include_usage`) when the
   * caller did not set it. The extra usage chunk is consumed by the instrumentation, so the caller's
   * stream looks exactly as without it. Default `true`; set `false` for providers that reject the option.
   */
  readonly requestStreamUsage?: boolean;
  /**
   * Opt-in local token counting for streams whose provider reports no usage: called with the
   * prompt text and with the streamed output text. Without it such streams record no tokens.
   */
  readonly countTokens?: (text: string, model: string) => number;
}

export interface Settings extends ClientSettings {
  readonly requestStreamUsage: boolean;
  readonly countTokens: ((text: string, model: string) => number) | undefined;
}

export function resolveSettings(
  explicit: OpenAIInstrumentationOptions = {},
  defaults: OpenAIInstrumentationOptions = environmentOptions(),
): Settings {
  const options = withDefaultOptions(explicit, defaults);
  return {
    ...resolveClientSettings(options),
    requestStreamUsage: options.requestStreamUsage !== false,
    countTokens: typeof options.countTokens === 'function' ? options.countTokens : undefined,
  };
}
