// `@va/prometheus-bridge/attribute-sets`: the one identity of attribute sets in @va (which sets are the
// same series: sdk-metrics' own rule), for @va/otel-sdk's attribute set interner. The bridge's cumulative
// store and cluster merge use the same index.
export { AttributeSetIndex, type AttributeSetIndexOptions } from '../attribute-set-index.js';
