// An Express 5 app: JSON body parsing, a small logger-like middleware and a route with a parameter.
//   PORT=8080 node apps/express.cjs
// With BENCH_PROM_CLIENT_PORT set, a middleware records a prom-client histogram by route template.
const express = require('express');

const port = Number(process.env.PORT ?? 8080);
const promClientPort = process.env.BENCH_PROM_CLIENT_PORT;

const app = express();
app.disable('x-powered-by');

if (promClientPort !== undefined) {
  const { duration, serveMetrics } = require('./prom-client-metrics.cjs');
  serveMetrics(Number(promClientPort));
  app.use((request, response, next) => {
    const started = process.hrtime.bigint();
    response.once('finish', () => {
      const route = request.route ? `${request.baseUrl}${request.route.path}` : 'unmatched';
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      duration.observe({ method: request.method, route, status_code: response.statusCode }, seconds);
    });
    next();
  });
}

app.use(express.json());
app.use((_request, response, next) => {
  response.locals.requestedAt = Date.now();
  next();
});
app.get('/users/:id', (request, response) => {
  response.json({ id: request.params.id, name: 'Ada' });
});

const server = app.listen(port, '127.0.0.1', () => {
  if (process.send) process.send({ listening: server.address().port });
  else console.log(`listening on http://127.0.0.1:${server.address().port}/users/1`);
});
require('./report-usage.cjs');
