// Runs the bundled OpenAI-compatible server inside a worker thread. The fake LLM plays a remote
// provider: in its own thread, its HTTP serving is not counted as the app's own HTTP traffic
// (the register's instrumentation lives in the main thread only), and its latency timers are
// not delayed by the app's event loop.

const { parentPort, workerData } = require('node:worker_threads');
const { startOpenAICompatibleServer } = require('@va/openai-compatible-server');

async function main() {
  const server = await startOpenAICompatibleServer(workerData);
  // The server records every request and response for tests; the demo runs for hours, so the
  // records are dropped regularly to keep memory flat.
  const trim = setInterval(() => server.reset(), 10_000);
  trim.unref();
  parentPort.on('message', async (message) => {
    if (message !== 'close') return;
    clearInterval(trim);
    await server.close();
    parentPort.close();
  });
  parentPort.postMessage({ baseURL: server.baseURL });
}

main().catch((error) => {
  parentPort.postMessage({ error: error?.message ?? String(error) });
});
