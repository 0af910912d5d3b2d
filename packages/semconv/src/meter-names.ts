/**
 * The meters (instrumentation scopes, `otel_scope_name` in Prometheus) that @va's packages record
 * under. In a MeterProvider that is the application's own (a NodeSDK with @va's reader and views:
 * library mode), @va's views shape these meters' instruments and no one else's.
 */
export const VA_METER_NAMES: readonly string[] = Object.freeze([
  '@va/otel-register',
  '@va/otel-register/pg',
  '@va/instrumentation-openai',
  '@va/instrumentation-agent',
  '@va/instrumentation-voice',
  '@va/instrumentation-livekit',
]);
