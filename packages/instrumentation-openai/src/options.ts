import type { MeterProvider } from '@opentelemetry/api';
import {
  BUILT_IN_PRICES,
  createPriceLookup,
  type ModelPrice,
  mergePriceTables,
  type PriceTable,
  withoutSnapshotSuffix,
} from '@va/instrumentation-genai';
import { environmentOptions } from './environment-options.js';
import { emitsLegacySystemAttribute } from './stability.js';

export interface OpenAIInstrumentationOptions {
  /** `gen_ai.provider.name` for every call; by default derived from the client's `baseURL`. */
  readonly providerName?: string;
  /** Where to record; by default `vaMeterProvider()` (the @va SDK's, else the global one) at the time of each call. */
  readonly meterProvider?: MeterProvider;
  /** Prices (USD per million tokens) merged over the built-in table, yours winning per model. */
  readonly prices?: PriceTable;
  /** `false` drops the built-in table, so only `prices` count. Default `true`. */
  readonly builtInPrices?: boolean;
  /**
   * Ask the provider for usage on streamed Chat Completions (`stream_options.include_usage`) when the
   * caller did not set it. The extra usage chunk is consumed by the instrumentation, so the caller's
   * stream looks exactly as without it. Default `true`; set `false` for providers that reject the option.
   */
  readonly requestStreamUsage?: boolean;
  /**
   * Model names are recorded as sent and as reported. `true` strips dated snapshot suffixes
   * (`gpt-4o-2024-08-06` → `gpt-4o`); a function maps names your own way. Default `false`.
   */
  readonly normalizeModelNames?: boolean | ((model: string) => string);
  /**
   * Opt-in local token counting for streams whose provider reports no usage: called with the
   * prompt text and with the streamed output text. Without it such streams record no tokens.
   */
  readonly countTokens?: (text: string, model: string) => number;
  /**
   * Label LLM metrics with the enclosing agent invocation of @va/instrumentation-agent
   * (`gen_ai.agent.name`). Off by default: it multiplies the LLM series by the number of agents.
   */
  readonly agentNameOnLLMMetrics?: boolean;
  /**
   * Also emit the pre-1.37 `gen_ai.system` attribute. Default: on when `OTEL_SEMCONV_STABILITY_OPT_IN`
   * contains `gen_ai/dup`.
   */
  readonly legacySystemAttribute?: boolean;
}

export interface Settings {
  readonly providerName: string | undefined;
  readonly meterProvider: MeterProvider | undefined;
  readonly priceOf: (model: string) => ModelPrice | undefined;
  readonly requestStreamUsage: boolean;
  readonly normalizeModel: ((model: string) => string) | undefined;
  readonly countTokens: ((text: string, model: string) => number) | undefined;
  readonly legacySystemAttribute: boolean;
  readonly agentNameOnLLMMetrics: boolean;
}

/** A client's own options over the defaults (the VA_GENAI_* variables), prices merged. */
function withDefaults(
  options: OpenAIInstrumentationOptions,
  defaults: OpenAIInstrumentationOptions,
): OpenAIInstrumentationOptions {
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  return {
    ...defaults,
    ...defined,
    prices: defaults.prices === undefined ? options.prices : { ...defaults.prices, ...options.prices },
  };
}

export function resolveSettings(
  explicit: OpenAIInstrumentationOptions = {},
  defaults: OpenAIInstrumentationOptions = environmentOptions(),
): Settings {
  const options = withDefaults(explicit, defaults);
  const normalize = options.normalizeModelNames;
  return {
    providerName:
      typeof options.providerName === 'string' && options.providerName !== ''
        ? options.providerName
        : undefined,
    meterProvider: options.meterProvider,
    priceOf: createPriceLookup(
      mergePriceTables(options.builtInPrices === false ? undefined : BUILT_IN_PRICES, options.prices),
    ),
    requestStreamUsage: options.requestStreamUsage !== false,
    normalizeModel:
      normalize === true ? withoutSnapshotSuffix : typeof normalize === 'function' ? normalize : undefined,
    countTokens: typeof options.countTokens === 'function' ? options.countTokens : undefined,
    legacySystemAttribute: options.legacySystemAttribute ?? emitsLegacySystemAttribute(),
    agentNameOnLLMMetrics: options.agentNameOnLLMMetrics === true,
  };
}
