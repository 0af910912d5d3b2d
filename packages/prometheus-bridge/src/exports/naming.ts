// `@va/prometheus-bridge/naming`: the names the bridge gives OpenTelemetry metrics and attribute keys,
// for tools that must spell them the same way (docs, dashboards). Escaping and number formatting are the
// serializer's own business and stay inside.
export {
  type MetricNameInput,
  type PrometheusMetricType,
  prometheusMetricName,
  prometheusUnit,
  sanitizeLabelName,
  sanitizeMetricName,
} from '../naming.js';
