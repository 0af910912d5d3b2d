// The same app as an ES module, started with `node --import @va/otel-register server.mjs`.
import http from 'node:http';

const server = http.createServer((_request, response) => response.end('hello'));
server.listen(0, '127.0.0.1', () => console.log(`ready ${server.address().port}`));
process.on('SIGTERM', () => server.close());
