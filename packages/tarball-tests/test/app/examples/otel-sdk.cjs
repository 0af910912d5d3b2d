// @va/otel-sdk's README: start(), a counter recorded through the global API, /metrics, shutdown().
'use strict';
const { metrics } = require('@opentelemetry/api');

module.exports = async ({ start }) => {
  const sdk = start({ serviceName: 'voice-gateway', prometheus: { host: '127.0.0.1', port: 0 } });
  metrics.getMeter('my-app').createCounter('orders.placed').add(3, { channel: 'phone' });
  const { port } = await sdk.prometheus.listeningAddress();
  const exposition = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  await sdk.shutdown();
  return { exposition };
};
