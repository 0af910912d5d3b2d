import { AggregationType, type ViewOptions } from '@opentelemetry/sdk-metrics';
import { ALL_METRICS, type MetricDefinition } from '@va/semconv';
import { createAttributeSetInterner } from './hot-path/attribute-set-interner.js';

/**
 * One view per metric @va knows, taken from @va/semconv:
 * - histograms get the buckets the conventions advise (upstream instrumentations mostly pass the
 *   same as advice; the view makes it true for every instrumentation and every SDK version);
 * - attributes outside the definition are dropped, so an upstream release that adds an attribute
 *   cannot multiply our series count behind our back;
 * - the description (Prometheus HELP) is the one docs/metrics.md shows;
 * - a metric whose convention name cannot be exported as is is renamed (see `exportReason`);
 * - the cardinality limit, when given: sdk-metrics takes a matching view's limit over the reader's,
 *   so without it every metric named here would keep the SDK's default of 2000;
 * - the attribute processor is our interner (hot-path/attribute-set-interner.ts): the allow-list,
 *   one frozen object per attribute set so record() skips the SDK's hash, and a cardinality limit
 *   that holds for the life of the process, not per collection cycle.
 */
export function semconvViews(
  metrics: readonly MetricDefinition[] = ALL_METRICS,
  cardinalityLimit?: number,
  meterNames?: readonly string[],
): ViewOptions[] {
  // Scoped to these meters, when given: in an application's own MeterProvider (library mode), the
  // metrics of other meters, upstream instrumentations' included, are the application's to shape.
  if (meterNames !== undefined) {
    return meterNames.flatMap((meterName) =>
      metrics.map((metric) => semconvView(metric, cardinalityLimit, meterName)),
    );
  }
  return metrics.map((metric) => semconvView(metric, cardinalityLimit));
}

function semconvView(
  metric: MetricDefinition,
  cardinalityLimit: number | undefined,
  meterName?: string,
): ViewOptions {
  const view: ViewOptions = {
    instrumentName: metric.name,
    ...(meterName !== undefined && { meterName }),
    description: metric.description,
    ...(cardinalityLimit !== undefined && { aggregationCardinalityLimit: cardinalityLimit }),
    attributesProcessors: [
      createAttributeSetInterner({
        allowedKeys: metric.attributes.map((attribute) => attribute.key),
        ...(cardinalityLimit !== undefined && { cardinalityLimit }),
      }),
    ],
  };
  if (metric.exportName !== undefined) view.name = metric.exportName;
  if (metric.buckets !== undefined) {
    view.aggregation = {
      type: AggregationType.EXPLICIT_BUCKET_HISTOGRAM,
      options: { boundaries: [...metric.buckets] },
    };
  }
  return view;
}
