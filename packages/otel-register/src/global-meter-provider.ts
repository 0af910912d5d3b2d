import { createNoopMeter, type MeterProvider } from '@opentelemetry/api';
import { UNBOUNDED_METER_NAMES } from '@va/otel-sdk';

/** Meters whose series carry per-run identifiers (LiveKit Agents' own): never even created here. */
const UNBOUNDED_SCOPES: ReadonlySet<string> = new Set(UNBOUNDED_METER_NAMES);

/**
 * What the register offers as the global MeterProvider: ours, except to the upstream
 * instrumentations whose metrics ours already record. An application's own tracing setup
 * (auto-instrumentations-node without a NodeSDK MeterProvider, say) loads upstream's http, undici,
 * pg, runtime-node and openai instrumentations; they take their meters from the global provider, and
 * through ours every request, query and GC would be counted twice. Their meters are no-op meters
 * here; everything else, the application's own metrics included, records into ours.
 * Some libraries record metrics of their own whose attributes are per-run identifiers, a new series
 * each time: those meters are no-op meters here as well, whatever is selected.
 */
export function globalMeterProviderWithout(
  provider: MeterProvider,
  measuredScopes: ReadonlySet<string>,
): MeterProvider {
  return {
    getMeter(name, version, options) {
      return measuredScopes.has(name) || UNBOUNDED_SCOPES.has(name)
        ? createNoopMeter()
        : provider.getMeter(name, version, options);
    },
  };
}
