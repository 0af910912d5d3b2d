// The shared test support (packages/test-metrics): a real MeterProvider collected on demand.
export { TestMetrics } from '@va/test-metrics';
