// The prom-client variant: what a team writes by hand, one histogram recorded in the request path,
// served on a port of its own (as the OTel exporters do) so scrapes are not the app's traffic.
const { createServer } = require('node:http');
const { Histogram, Registry } = require('prom-client');

const registry = new Registry();
// OTel's HTTP buckets, so every variant keeps the same number of buckets per series.
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const duration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'Duration of HTTP requests in seconds.',
  labelNames: ['method', 'route', 'status_code'],
  buckets: BUCKETS,
  registers: [registry],
});

function serveMetrics(port) {
  const server = createServer(async (_request, response) => {
    const body = await registry.metrics();
    response.writeHead(200, { 'content-type': registry.contentType });
    response.end(body);
  });
  server.listen(port, '127.0.0.1');
  server.unref();
  return server;
}

module.exports = { duration, serveMetrics };
