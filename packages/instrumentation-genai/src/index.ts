export { copyOf, withAttribute } from './attribute-sets.js';
export {
  BUILT_IN_PRICES,
  BUILT_IN_PRICES_AS_OF,
  REALTIME_PRICES_AS_OF,
  VOICE_PRICES_AS_OF,
} from './built-in-prices.js';
export { type GenAIInstruments, genAIInstrumentsOf, type InstrumentationScope } from './genai-instruments.js';
export { isSnapshotOf, withoutSnapshotSuffix } from './model-names.js';
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
  type TokenPrice,
  tokenPriceOf,
} from './prices.js';
export { recordUsage, type UsageSource } from './record-usage.js';
export { modalityParts, type TokenPart, type TokenType, tokenParts } from './token-parts.js';
export { type ModalityCounts, TOKEN_MODALITIES, type TokenModality, type TokenUsage } from './token-usage.js';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';
