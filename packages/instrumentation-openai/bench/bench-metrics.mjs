// What the benchmarks record into: a reader that collects on demand, and @va/otel-sdk's MeterProvider.
import { createRequire } from 'node:module';
import { AggregationTemporality, MetricReader } from '@opentelemetry/sdk-metrics';

const require = createRequire(import.meta.url);

/** A reader that exports nothing: the benchmark collects from it to check what was recorded. */
export class CollectingReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  async onForceFlush() {}
  async onShutdown() {}
}

/**
 * The MeterProvider users get under @va/otel-register: @va/otel-sdk start() with the semconv views, their
 * attribute interner and the attribute hash memo (packages/otel-sdk/src/hot-path/), reading into `reader`.
 */
export function startVaMeterProvider(reader) {
  const { start } = require('@va/otel-sdk');
  return start({
    environment: {},
    logLevel: false,
    exporters: [],
    readers: [reader],
    registerGlobal: false,
  }).meterProvider;
}
