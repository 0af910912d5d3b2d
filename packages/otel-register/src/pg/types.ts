import type { MetricsInstrumentationConfig } from '@va/instrumentation-base';

/**
 * Options of {@link PgMetricsInstrumentation}. Only the common ones for now:
 * `enabled` (the register leaves it off with `OTEL_NODE_DISABLED_INSTRUMENTATIONS=pg`).
 */
export type PgMetricsInstrumentationConfig = MetricsInstrumentationConfig;
