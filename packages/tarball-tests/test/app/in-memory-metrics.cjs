// A plain @opentelemetry/sdk-metrics MeterProvider as the global one, whose points the examples read
// on demand: the packages that record through the OpenTelemetry API, with an SDK of the user's.
'use strict';
const { metrics } = require('@opentelemetry/api');
const { MeterProvider, MetricReader } = require('@opentelemetry/sdk-metrics');

class CollectingReader extends MetricReader {
  async onForceFlush() {}
  async onShutdown() {}
}

const reader = new CollectingReader();
const meterProvider = new MeterProvider({ readers: [reader] });
metrics.setGlobalMeterProvider(meterProvider);

/** Every point as `{ name, attributes, value }`, or `{ name, attributes, count, sum }` for a histogram. */
async function collectPoints() {
  const { resourceMetrics } = await reader.collect();
  const points = [];
  for (const { metrics: scopeMetrics } of resourceMetrics.scopeMetrics) {
    for (const { descriptor, dataPoints } of scopeMetrics) {
      for (const { attributes, value } of dataPoints) {
        points.push(
          typeof value === 'number'
            ? { name: descriptor.name, attributes, value }
            : { name: descriptor.name, attributes, count: value.count, sum: value.sum },
        );
      }
    }
  }
  await meterProvider.shutdown();
  return points;
}

module.exports = { collectPoints };
