// The control of the cardinality bench: sdk-metrics alone, with no guard of ours, fed the same
// distinct gen_ai.request.model values; collect() stands in for a scrape. It shows what the bench sees
// when a guard is missing: sdk-metrics 2.12 applies the cardinality limit per collection, so the
// cumulative series count grows by up to the limit with every collection.
//   node --expose-gc cardinality/control.cjs   (driven over IPC by cardinality.bench.mjs)
const { AggregationTemporality, MeterProvider, MetricReader } = require('@opentelemetry/sdk-metrics');

class CumulativeReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  async onForceFlush() {}
  async onShutdown() {}
}

const reader = new CumulativeReader();
const meterProvider = new MeterProvider({ readers: [reader] });
// The GenAI duration buckets of the conventions, as our SDK installs them.
const BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
const duration = meterProvider.getMeter('control').createHistogram('gen_ai.client.operation.duration', {
  unit: 's',
  advice: { explicitBucketBoundaries: BUCKETS },
});

const handlers = {
  calls({ from, to }) {
    for (let index = from; index < to; index++) {
      duration.record(0.1, {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': `model-${index}`,
      });
    }
    process.send({ done: to });
  },
  async collect() {
    const started = performance.now();
    const { resourceMetrics } = await reader.collect();
    const points = resourceMetrics.scopeMetrics
      .flatMap((scope) => scope.metrics)
      .flatMap((metric) => metric.dataPoints);
    process.send({
      collected: {
        series: points.length,
        overflow: points.some((point) => point.attributes['otel.metric.overflow'] === true),
        recorded: points.reduce((sum, point) => sum + point.value.count, 0),
        millis: performance.now() - started,
      },
    });
  },
  memory() {
    global.gc();
    global.gc();
    process.send({ memory: process.memoryUsage() });
  },
};

if (!process.send) {
  console.error('control.cjs is started by cardinality.bench.mjs (it needs the IPC channel)');
  process.exit(2);
}
process.on('message', (message) => {
  Promise.resolve(handlers[message?.type]?.(message)).catch((error) => {
    console.error(error);
    process.exit(1);
  });
});
process.once('disconnect', () => process.exit(0));
process.send({ ready: true });
