import type { Counter, Gauge, Histogram, Meter, UpDownCounter } from '@opentelemetry/api';
import type { MetricDefinition } from './types.js';

/**
 * Instruments made from their definitions, so name, unit and description come from here alone.
 * Histograms also carry the conventions' buckets as advice: apps on a plain OpenTelemetry SDK,
 * without our views, get the same boundaries.
 */
export function createHistogramFor(meter: Meter, definition: MetricDefinition): Histogram {
  return meter.createHistogram(definition.name, {
    unit: definition.unit,
    description: definition.description,
    advice:
      definition.buckets === undefined ? undefined : { explicitBucketBoundaries: [...definition.buckets] },
  });
}

export function createCounterFor(meter: Meter, definition: MetricDefinition): Counter {
  return meter.createCounter(definition.name, { unit: definition.unit, description: definition.description });
}

export function createUpDownCounterFor(meter: Meter, definition: MetricDefinition): UpDownCounter {
  return meter.createUpDownCounter(definition.name, {
    unit: definition.unit,
    description: definition.description,
  });
}

/** A synchronous gauge: the latest value a recording reported (`@opentelemetry/api` 1.9 and newer). */
export function createGaugeFor(meter: Meter, definition: MetricDefinition): Gauge {
  return meter.createGauge(definition.name, { unit: definition.unit, description: definition.description });
}
