// @va/prometheus-bridge's README: the bridge as the reader of a plain sdk-metrics MeterProvider, on a
// free 127.0.0.1 port instead of :9464, and what GET /metrics answers.
'use strict';
const { resourceFromAttributes } = require('@opentelemetry/resources');
const { MeterProvider } = require('@opentelemetry/sdk-metrics');

module.exports = async ({ PrometheusBridge }) => {
  const bridge = new PrometheusBridge({ host: '127.0.0.1', port: 0 });
  const meterProvider = new MeterProvider({
    readers: [bridge],
    resource: resourceFromAttributes({ 'service.name': 'my-agent' }),
  });
  meterProvider
    .getMeter('my-agent')
    .createHistogram('http.server.request.duration', {
      unit: 's',
      advice: { explicitBucketBoundaries: [0.1, 0.5, 1] },
    })
    .record(0.042, { 'http.request.method': 'GET', 'http.route': '/chat' });
  const { port } = await bridge.listeningAddress();
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  const exposition = await response.text();
  await meterProvider.shutdown();
  return { status: response.status, exposition };
};
