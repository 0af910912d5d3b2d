import { createNoopMeter, type MeterProvider, metrics } from '@opentelemetry/api';

/**
 * Whether a MeterProvider is registered with the OpenTelemetry API: the application's own SDK's
 * (NodeSDK registers one unless its metrics are off), or ours. The API answers an unregistered
 * global with its no-op provider, whose meters are the one no-op meter.
 */
export function globalMeterProviderIsTaken(): boolean {
  return metrics.getMeterProvider().getMeter('@va/otel-sdk') !== createNoopMeter();
}

export interface GlobalMeterProviderClaim {
  /** Whether `provider` is the global MeterProvider now. */
  readonly held: boolean;
  /** Unregisters it, if it still is the global one, so the application's own SDK can register its own. */
  release(): void;
}

/**
 * Registers `provider` as the global MeterProvider when none is registered. When one is, it leaves
 * it alone: the global belongs to the application's SDK, and asking the API anyway would only make
 * it log a duplicate-registration error with a stack trace.
 */
export function claimGlobalMeterProvider(provider: MeterProvider): GlobalMeterProviderClaim {
  let held = !globalMeterProviderIsTaken() && metrics.setGlobalMeterProvider(provider);
  return {
    get held() {
      return held && metrics.getMeterProvider() === provider;
    },
    release() {
      if (held && metrics.getMeterProvider() === provider) metrics.disable();
      held = false;
    },
  };
}
