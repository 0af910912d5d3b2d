import { ProxyTracerProvider, type TracerProvider } from '@opentelemetry/api';

/**
 * A tracer provider whose tracers create non-recording spans: a ProxyTracerProvider with no delegate
 * answers with the API's no-op tracer, whatever the global tracer provider is.
 */
export const NOOP_TRACER_PROVIDER: TracerProvider = new ProxyTracerProvider();
