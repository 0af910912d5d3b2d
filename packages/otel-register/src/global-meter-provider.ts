import { createNoopMeter, type MeterProvider } from '@opentelemetry/api';

/**
 * What the register offers as the global MeterProvider: ours, except to the upstream
 * instrumentations whose metrics ours already record. An application's own tracing setup
 * (auto-instrumentations-node without a NodeSDK MeterProvider, say) loads upstream's http, undici,
 * pg, runtime-node and openai instrumentations; they take their meters from the global provider, and
 * through ours every request, query and GC would be counted twice. Their meters are no-op meters
 * here; everything else, the application's own metrics included, records into ours.
 */
export function globalMeterProviderWithout(
  provider: MeterProvider,
  measuredScopes: ReadonlySet<string>,
): MeterProvider {
  return {
    getMeter(name, version, options) {
      return measuredScopes.has(name) ? createNoopMeter() : provider.getMeter(name, version, options);
    },
  };
}
