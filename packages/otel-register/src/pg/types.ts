import type { InstrumentationConfig } from '@opentelemetry/instrumentation';

/**
 * Options of {@link PgMetricsInstrumentation}. Only the common ones for now:
 * `enabled` (default true; the register turns it off with
 * `OTEL_NODE_DISABLED_INSTRUMENTATIONS=pg`).
 */
export type PgMetricsInstrumentationConfig = InstrumentationConfig;
