// The shared test support (packages/test-metrics): a real MeterProvider collected on demand.
export { byTokenType, type Point, TestMetrics, totalCount } from '@va/test-metrics';
