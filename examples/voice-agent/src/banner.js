// Where to look once the demo runs. The `ready <port>` line is for scripts and tests: it is printed
// even with --quiet, on a line of its own, once the API accepts connections.

function banner({ apiPort, metrics, llm, database, traffic, realtimeShare, durationSeconds }) {
  const app = `http://localhost:${apiPort}`;
  const metricsUrl = metrics ? `http://${metrics.host}:${metrics.port}/metrics` : undefined;
  // examples/monitoring/prometheus.yml scrapes the default port.
  const target =
    !metrics || metrics.port === 9464
      ? 'it scrapes localhost:9464'
      : `change its target localhost:9464 to localhost:${metrics.port}`;
  const lines = [
    '',
    'voice agent demo',
    `  app        ${app}  (POST /sessions, POST /sessions/:id/turns, DELETE /sessions/:id)`,
    `  health     ${app}/health`,
    metricsUrl
      ? `  metrics    ${metricsUrl}`
      : '  metrics    not served here (OTEL_METRICS_EXPORTER has no prometheus, or the SDK is disabled)',
    `  llm        ${llm}`,
    `  database   ${database}`,
    `  traffic    ${traffic ? 'built-in callers: a warm-up, then a gentle steady load' : 'none (--no-traffic)'}`,
    ...(traffic && realtimeShare > 0
      ? [
          `  realtime   ${Math.round(realtimeShare * 100)} % of the calls speech-to-speech over the Realtime API (--realtime-share)`,
        ]
      : []),
    '',
    'Prometheus and Grafana:',
    `  prometheus --config.file=examples/monitoring/prometheus.yml   (${target})`,
    '  Grafana: add a Prometheus data source at http://localhost:9090, import examples/monitoring/grafana/dashboards',
    '  or query it directly: histogram_quantile(0.95, sum by (le) (rate(voice_agent_voice_turn_response_latency_seconds_bucket[5m])))',
    '',
    durationSeconds
      ? `Runs for ${durationSeconds} s, then shuts down. Ctrl-C stops earlier.`
      : 'Ctrl-C to stop.',
  ];
  return lines.join('\n');
}

module.exports = { banner };
