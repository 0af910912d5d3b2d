import type { MeterProvider } from '@opentelemetry/api';
import { BUILT_IN_PRICES } from './built-in-prices.js';
import { withoutSnapshotSuffix } from './model-names.js';
import { createPriceLookup, type ModelPrice, mergePriceTables, type PriceTable } from './prices.js';
import { emitsLegacySystemAttribute, type GenAIConventions, processConventions } from './stability.js';

/** The options every LLM client instrumentation takes, wrapped or patched. */
export interface GenAIClientOptions {
  /** `gen_ai.provider.name` for every call; by default the client's own (derived from its endpoint). */
  readonly providerName?: string;
  /** Where to record; by default `vaMeterProvider()` (the @va SDK's, else the global one) at the time of each call. */
  readonly meterProvider?: MeterProvider;
  /** Prices merged over the built-in table, yours winning per model. */
  readonly prices?: PriceTable;
  /** `false` drops the built-in table, so only `prices` count. Default `true`. */
  readonly builtInPrices?: boolean;
  /**
   * Model names are recorded as sent and as reported. `true` strips dated snapshot suffixes
   * (`gpt-4o-2024-08-06` → `gpt-4o`); a function maps names your own way. Default `false`.
   */
  readonly normalizeModelNames?: boolean | ((model: string) => string);
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

/** The options of one client, resolved once: what every call of it reads. */
export interface ClientSettings {
  readonly providerName: string | undefined;
  readonly meterProvider: MeterProvider | undefined;
  readonly priceOf: (model: string) => ModelPrice | undefined;
  readonly normalizeModel: ((model: string) => string) | undefined;
  readonly legacySystemAttribute: boolean;
  readonly agentNameOnLLMMetrics: boolean;
  /** The metric names to record under: the process's `OTEL_SEMCONV_STABILITY_OPT_IN`. */
  readonly conventions: GenAIConventions;
}

/**
 * A client's own options over its defaults (the VA_GENAI_* variables): an option left undefined takes
 * the default; price tables merge, the client's winning per model.
 */
export function withDefaultOptions<Options extends GenAIClientOptions>(
  options: Options,
  defaults: Options,
): Options {
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  return {
    ...defaults,
    ...defined,
    prices: defaults.prices === undefined ? options.prices : { ...defaults.prices, ...options.prices },
  };
}

/** Resolves options already merged over their defaults. */
export function resolveClientSettings(options: GenAIClientOptions): ClientSettings {
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
    normalizeModel:
      normalize === true ? withoutSnapshotSuffix : typeof normalize === 'function' ? normalize : undefined,
    legacySystemAttribute: options.legacySystemAttribute ?? emitsLegacySystemAttribute(),
    agentNameOnLLMMetrics: options.agentNameOnLLMMetrics === true,
    conventions: processConventions(),
  };
}
