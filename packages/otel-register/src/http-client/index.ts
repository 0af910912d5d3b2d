// The public face of the client path: the function and its types, nothing internal.
export {
  type HttpClientMetrics,
  type HttpClientMetricsOptions,
  recordHttpClientMetrics,
} from './http-client-metrics.js';
