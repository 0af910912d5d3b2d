import { AggregationType, type ViewOptions } from '@opentelemetry/sdk-metrics';

/**
 * Meters of libraries whose own metrics carry a per-run identifier as an attribute, a new series each
 * time: LiveKit Agents' (`lk.agents.event_loop.blocked_duration` and the like, with `room_id` and
 * `job_id`, a new series per call). Their sessions are measured by @va's instrumentations instead.
 */
export const UNBOUNDED_METER_NAMES: readonly string[] = ['livekit-agents'];

/**
 * Views that drop those meters' metrics in @va's MeterProvider: in library mode an application that
 * starts @va's SDK makes it the global one, where such a library finds it.
 */
export function unboundedMeterViews(): ViewOptions[] {
  return UNBOUNDED_METER_NAMES.map((meterName) => ({
    meterName,
    aggregation: { type: AggregationType.DROP },
  }));
}
