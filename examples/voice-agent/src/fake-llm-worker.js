// Runs the bundled OpenAI-compatible server inside a worker thread. The fake LLM plays a remote
// provider: in its own thread, its HTTP serving is not counted as the app's own HTTP traffic
// (the register's instrumentation lives in the main thread only), and its latency timers are
// not delayed by the app's event loop.
//
// A second instance serves the Realtime API: the `openai` Realtime clients always dial `wss://`, so
// it runs with TLS and a throwaway certificate, which the app trusts for that connection only. The
// HTTP calls stay on the plain instance, as they were.

const { parentPort, workerData } = require('node:worker_threads');
const { startOpenAICompatibleServer } = require('@va/openai-compatible-server');

async function main() {
  const server = await startOpenAICompatibleServer(workerData);
  const realtime = await startOpenAICompatibleServer({ seed: workerData.seed, tls: true }).catch(
    async (error) => {
      await server.close();
      throw error;
    },
  );
  const servers = [server, realtime];
  // The server records every request, response and Realtime session for tests; the demo runs for
  // hours, so the records are dropped regularly to keep memory flat.
  const trim = setInterval(() => {
    for (const each of servers) each.reset();
  }, 10_000);
  trim.unref();
  parentPort.on('message', async (message) => {
    if (message !== 'close') return;
    clearInterval(trim);
    await Promise.all(servers.map((each) => each.close()));
    parentPort.close();
  });
  parentPort.postMessage({
    baseURL: server.baseURL,
    // The same server speaks Anthropic's Messages API, for the Claude turns.
    anthropicBaseURL: server.anthropicBaseURL,
    realtime: { baseURL: realtime.baseURL, certificate: realtime.certificate },
  });
}

main().catch((error) => {
  parentPort.postMessage({ error: error?.message ?? String(error) });
});
