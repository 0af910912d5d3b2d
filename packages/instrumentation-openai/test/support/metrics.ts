// The shared test support (packages/test-metrics): a real MeterProvider collected on demand.
export { byTokenType, type Point, runWithAndWithout, TestMetrics, totalCount, until } from '@va/test-metrics';
