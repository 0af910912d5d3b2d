// The shared test support (packages/test-metrics), also used there to start Prometheus.
export { freePort } from '@va/test-metrics/free-port';
