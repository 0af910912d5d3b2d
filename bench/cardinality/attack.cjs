// The instrumented process of the cardinality bench, started as
//   node --expose-gc --require @va/otel-register cardinality/attack.cjs gen-ai|http-route
// and driven over IPC by cardinality.bench.mjs:
//   { type: 'calls', from, to } → gen-ai: chat.completions.create({ model: `model-${i}` }) for each i;
//                                 replies { done: to }
//   { type: 'memory' }          → two full GCs, then replies { memory: process.memoryUsage() }
// gen-ai uses the real openai client (patched by the register) with an in-memory fetch returning a
// canned response; http-route is a node:http server whose handler marks every raw path as its route,
// the mistake the cardinality limit exists for. CommonJS, so the register's require hooks apply.
const { createServer } = require('node:http');

const scenario = process.argv[2];
const CONCURRENCY = 64;

function onMessage(handlers) {
  process.on('message', (message) => {
    const handler = handlers[message?.type];
    if (handler === undefined) return;
    Promise.resolve(handler(message)).catch((error) => {
      console.error(error);
      process.exit(1);
    });
  });
}

function reportMemory() {
  global.gc();
  global.gc();
  process.send({ memory: process.memoryUsage() });
}

function startGenAi() {
  const { OpenAI } = require('openai');
  const completion = JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: 1_763_700_000,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: 'Hello.', refusal: null },
        logprobs: null,
        finish_reason: 'stop',
      },
    ],
    usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 },
  });
  const client = new OpenAI({
    apiKey: 'bench',
    // Never reached: the fetch below answers every request in memory.
    baseURL: 'http://127.0.0.1:9/v1',
    maxRetries: 0,
    fetch: async () =>
      new Response(completion, { status: 200, headers: { 'content-type': 'application/json' } }),
  });
  const messages = [{ role: 'user', content: 'Say hello.' }];

  async function calls(from, to) {
    let next = from;
    const worker = async () => {
      while (next < to) {
        const index = next++;
        await client.chat.completions.create({ model: `model-${index}`, messages });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  }

  onMessage({
    memory: reportMemory,
    calls: async ({ from, to }) => {
      await calls(from, to);
      process.send({ done: to });
    },
  });
  process.send({ ready: true });
}

/**
 * `setHttpRoute(request, route)` from @va/otel-register when this build has it; otherwise the route
 * goes where instrumentation-http reads it from, the RPC metadata of the active context (which is
 * what instrumentation-express does).
 */
function routeMarker() {
  const register = require('@va/otel-register');
  if (typeof register.setHttpRoute === 'function') {
    return { name: 'setHttpRoute', mark: (request, route) => register.setHttpRoute(request, route) };
  }
  const { context } = require('@opentelemetry/api');
  const { getRPCMetadata, RPCType } = require('@opentelemetry/core');
  return {
    name: 'RPC metadata (setHttpRoute not exported)',
    mark: (_request, route) => {
      const metadata = getRPCMetadata(context.active());
      if (metadata?.type === RPCType.HTTP) metadata.route = route;
    },
  };
}

function startHttpRoute() {
  const marker = routeMarker();
  let requests = 0;
  const server = createServer((request, response) => {
    requests++;
    marker.mark(request, request.url);
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end('ok');
  });
  onMessage({
    memory: reportMemory,
    requests: () => process.send({ requests }),
  });
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    process.send({ listening: server.address().port, routeMarker: marker.name });
  });
}

if (!process.send) {
  console.error('attack.cjs is started by cardinality.bench.mjs (it needs the IPC channel)');
  process.exit(2);
}
// A bench that dies must not leave this process behind.
process.once('disconnect', () => process.exit(0));
if (scenario === 'gen-ai') startGenAi();
else if (scenario === 'http-route') startHttpRoute();
else {
  console.error(`unknown scenario "${scenario}"`);
  process.exit(2);
}
