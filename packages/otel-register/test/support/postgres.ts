// The shared test support (packages/test-metrics), also used by the soak benchmark.
export { startPostgres, type TestPostgres } from '@va/test-metrics/postgres';
