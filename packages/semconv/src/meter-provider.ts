import { type MeterProvider, metrics } from '@opentelemetry/api';

/**
 * Shared by every copy of every @va package (CommonJS and ES module builds, two versions side by
 * side), as the OpenTelemetry API shares its globals.
 */
const VA_METER_PROVIDER = Symbol.for('@va/semconv.meter-provider');
type GlobalWithProvider = typeof globalThis & { [VA_METER_PROVIDER]?: MeterProvider };

/**
 * The MeterProvider @va's helpers and instrumentations record into when the caller names none: the
 * one the @va SDK started (`@va/otel-sdk`'s `start()`, which the register calls), else the global
 * one of the OpenTelemetry API.
 *
 * Not simply the global one: beside an application's own OpenTelemetry SDK (NodeSDK), the global
 * MeterProvider is the application's, and what @va records must still reach @va's readers
 * (`/metrics`) exactly once. Every @va package reads its instruments' definitions from this
 * package, so this is the one place they all share.
 */
export function vaMeterProvider(): MeterProvider {
  return (globalThis as GlobalWithProvider)[VA_METER_PROVIDER] ?? metrics.getMeterProvider();
}

/** Makes `provider` the one {@link vaMeterProvider} returns; `undefined` falls back to the global one again. */
export function setVaMeterProvider(provider: MeterProvider | undefined): void {
  const global = globalThis as GlobalWithProvider;
  if (provider === undefined) delete global[VA_METER_PROVIDER];
  else global[VA_METER_PROVIDER] = provider;
}
