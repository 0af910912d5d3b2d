export { currentAgentName } from './agent-context.js';
export { copyOf, withAttribute } from './attribute-sets.js';
export {
  ANTHROPIC_PRICES_AS_OF,
  BUILT_IN_PRICES,
  BUILT_IN_PRICES_AS_OF,
  GEMINI_PRICES_AS_OF,
  REALTIME_PRICES_AS_OF,
  VOICE_PRICES_AS_OF,
} from './built-in-prices.js';
export { type CallDescription, callAttributes } from './call-attributes.js';
export { asMeasuredAsyncCall, insideMeasuredCall } from './call-nesting.js';
export { GenAIClientInstrumentation, type GenAIInstrumentationConfig } from './client-instrumentation.js';
export {
  type ClientSettings,
  type GenAIClientOptions,
  resolveClientSettings,
  withDefaultOptions,
} from './client-settings.js';
export {
  clientOptionsFromEnvironment,
  VA_GENAI_AGENT_NAME_ON_LLM_METRICS,
  VA_GENAI_NORMALIZE_MODEL_NAMES,
} from './client-variables.js';
export { CANCELED, errorTypeOf } from './error-type.js';
export { type CallRecorder, GenAICall } from './genai-call.js';
export {
  type GenAIInstruments,
  genAIInstrumentsOf,
  type InstrumentationScope,
} from './genai-instruments.js';
export {
  createInferenceInstruments,
  type InferenceInstruments,
  type OperationFamily,
  operationFamilyOf,
} from './inference-instruments.js';
export { recordInferenceUsage, UNKNOWN_MODALITY } from './inference-usage.js';
export { instrumentedCall, type StartedCall } from './instrumented-call.js';
export { isSnapshotOf, withoutSnapshotSuffix } from './model-names.js';
export { observeIterator, observeStream, type StreamItemObserver } from './observe-stream.js';
export { type CallTiming, histogramsFor } from './operation-histograms.js';
export { pricesFromEnvironment, VA_GENAI_PRICES_FILE } from './price-file.js';
export {
  audioCostOf,
  type CostPart,
  characterCostOf,
  costOf,
  costParts,
  createPriceLookup,
  type ModelPrice,
  mergePriceTables,
  type PriceTable,
  type PromptTier,
  type TokenPrice,
  type TokenRates,
  tokenPriceOf,
} from './prices.js';
export { clientSettingsOf, processClientOptions } from './process-client-options.js';
export { recordUsage } from './record-usage.js';
export { type ServerEndpoint, serverEndpointOf } from './server-endpoint.js';
export {
  emitsLegacySystemAttribute,
  type GenAIConventions,
  genAIConventionsOf,
  processConventions,
} from './stability.js';
export { observeAPIPromise, type ResultReader } from './stainless-api-promise.js';
export {
  createStainlessClientProxy,
  isInstrumentedClient,
  type ResourceMethodWrapper,
} from './stainless-client-proxy.js';
export { modalityParts, type TokenPart, type TokenType, tokenParts } from './token-parts.js';
export { type ModalityCounts, TOKEN_MODALITIES, type TokenModality, type TokenUsage } from './token-usage.js';
export { fieldOf, isFields, modelFieldOf, tokenCountOf } from './usage-fields.js';
export { setOf, type UsageSource, withModality } from './usage-source.js';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';
