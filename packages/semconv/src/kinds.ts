import type { InstrumentKind, MetricDefinition, PrometheusType } from './types.js';

/**
 * Maps an instrument kind to the Prometheus type it is exposed as, per the OpenTelemetry
 * "Prometheus and OpenMetrics Compatibility" spec: monotonic sums are counters, non-monotonic
 * sums and gauges are gauges, explicit-bucket histograms are histograms.
 */
export function prometheusTypeOf(kind: InstrumentKind): PrometheusType {
  switch (kind) {
    case 'counter':
    case 'observable_counter':
      return 'counter';
    case 'histogram':
      return 'histogram';
    case 'updowncounter':
    case 'observable_updowncounter':
    case 'gauge':
    case 'observable_gauge':
      return 'gauge';
  }
}

/** The name a metric is exported under: its own, unless a definition renames it on export. */
export function exportedNameOf(metric: MetricDefinition): string {
  return metric.exportName ?? metric.name;
}
