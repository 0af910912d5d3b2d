// Hello world on node:http. CommonJS, so `--require` preloads patch `http` before it is loaded.
//   PORT=8080 node apps/node-http.cjs
// With BENCH_PROM_CLIENT_PORT set, the handler records a prom-client histogram by hand.
const { createServer } = require('node:http');

const port = Number(process.env.PORT ?? 8080);
const promClientPort = process.env.BENCH_PROM_CLIENT_PORT;

let handle = (_request, response) => {
  response.writeHead(200, { 'content-type': 'text/plain' });
  response.end('hello world');
};

if (promClientPort !== undefined) {
  const { duration, serveMetrics } = require('./prom-client-metrics.cjs');
  serveMetrics(Number(promClientPort));
  const plain = handle;
  handle = (request, response) => {
    const started = process.hrtime.bigint();
    plain(request, response);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    duration.observe({ method: request.method, route: '/', status_code: response.statusCode }, seconds);
  };
}

const server = createServer((request, response) => handle(request, response));
server.listen(port, '127.0.0.1', () => {
  if (process.send) process.send({ listening: server.address().port });
  else console.log(`listening on http://127.0.0.1:${server.address().port}/`);
});
require('./report-usage.cjs');
