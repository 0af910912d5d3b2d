// A CommonJS app started with `node --require @va/otel-register server.js`: a node:http server on a
// free 127.0.0.1 port that says `ready <port>`, and closes on SIGTERM.

const http = require('node:http');

const server = http.createServer((_request, response) => response.end('hello'));
server.listen(0, '127.0.0.1', () => console.log(`ready ${server.address().port}`));
process.on('SIGTERM', () => server.close());
