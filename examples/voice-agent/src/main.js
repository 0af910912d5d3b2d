// The demo behind `npm start`: a voice agent API with its database, its LLM and its own callers,
// run under `node --require @va/otel-register`. There is no metrics code in the app besides the
// agent and voice helpers: HTTP, fetch, Postgres, openai and the runtime are measured by the
// register, and everything is on /metrics.

const { readSettings, UsageError } = require('./args');
const { createVoiceAgent, SYSTEM_PROMPT } = require('./agent-graph');
const { banner } = require('./banner');
const { servedMetrics } = require('./served-metrics');
const { openDatabase } = require('./database');
const { startLLM } = require('./llm');
const { createProgress } = require('./progress');
const { createRealtimeCalls } = require('./realtime-call');
const { createApp } = require('./routes');
const { createSessions } = require('./sessions');
const { createStore } = require('./store');
const { createTools } = require('./tools');
const { createTraffic } = require('./traffic');

/** A start-up failure explained in one line: no stack, the user has something to set. */
class StartError extends Error {}

function listen(app, port) {
  return new Promise((resolve, reject) => {
    const server = app.listen(port);
    const onError = (error) => {
      if (error.code !== 'EADDRINUSE') return reject(error);
      reject(
        new StartError(
          `port ${port} is already in use (another demo running?); set PORT to another port, or PORT=0 for a free one`,
        ),
      );
    };
    server.once('error', onError);
    server.once('listening', () => {
      server.off('error', onError);
      resolve(server);
    });
  });
}

/** Stops accepting connections and waits for the open ones; stragglers are cut after `graceMs`. */
function closeServer(server, graceMs) {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), graceMs).unref();
  });
}

/** Signals this close to the first are the same key press delivered twice (see onSignal). */
const REPEATED_SIGNAL_MS = 300;

async function main() {
  let settings;
  try {
    settings = readSettings(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(error.message);
    process.exitCode = 2;
    return;
  }
  if (settings.help) {
    console.log(settings.usage);
    return;
  }

  const progress = createProgress({ quiet: settings.quiet });
  const info = (line) => settings.quiet || progress.log(line);
  const warn = (line) => progress.log(`warning: ${line}`, process.stderr);

  // Everything opened so far, so a signal during startup still closes what exists.
  const opened = {};
  let starting;
  let stopping;
  /** `graceMs`: how long the calls in progress may take to finish their turn. */
  function shutdown({ graceMs }) {
    stopping ??= (async () => {
      // A signal during startup: let the step in progress finish (startup checks `stopping` after
      // each step and goes no further), then close what it opened.
      await starting?.catch(() => {});
      clearTimeout(opened.deadline);
      progress.stop();
      if (opened.traffic) {
        info('stopping: letting the calls in progress finish…');
        await opened.traffic.stop(graceMs);
      }
      // Sessions before the server: their end is what voice_session_active counts down.
      await opened.sessions?.endAll();
      // Our callers are gone by now; the grace is for outside clients, at most 2 s.
      if (opened.server) await closeServer(opened.server, Math.min(graceMs, 2000));
      await opened.llm?.close().catch((error) => warn(`closing the LLM server: ${error.message}`));
      await opened.database?.close().catch((error) => warn(`closing the database: ${error.message}`));
      const summary = progress.summary();
      if (summary) progress.log(`done: ${summary}`);
    })();
    return stopping;
  }

  let firstSignalAt;
  const onSignal = (signal) => {
    // One Ctrl-C can arrive twice: from the terminal, sent to the whole process group, and
    // forwarded by a parent such as npm or scripts/start-demo.mjs. Repeats that close together are
    // that one key press; a second Ctrl-C, later, means now.
    if (firstSignalAt !== undefined) {
      if (performance.now() - firstSignalAt < REPEATED_SIGNAL_MS) return;
      process.exit(130);
    }
    firstSignalAt = performance.now();
    info(`\n${signal}: shutting down (Ctrl-C again to force)`);
    // Someone is waiting at the terminal: in-flight turns get a short grace, then are cut.
    shutdown({ graceMs: 500 })
      .catch((error) => warn(`shutdown: ${error?.stack ?? error}`))
      .finally(() => process.exit(0));
  };
  // The register listens too; with our listener present it only flushes, and we own the exit.
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  async function start() {
    info(settings.databaseUrl ? 'connecting to PostgreSQL…' : 'starting an embedded PostgreSQL…');
    opened.database = await openDatabase({ url: settings.databaseUrl });
    const store = createStore(opened.database.pool);
    await store.migrate();
    if (stopping) return;

    opened.llm = await startLLM(settings.openai, settings.anthropic);
    const tools = createTools(store);
    const agent = createVoiceAgent({ llm: opened.llm, store, tools });
    const realtimeCalls = createRealtimeCalls({ llm: opened.llm, tools, instructions: SYSTEM_PROMPT });
    opened.sessions = createSessions({ llm: opened.llm, store, agent, realtimeCalls });
    if (stopping) return;
    const app = createApp({ sessions: opened.sessions, store, stopping: () => stopping !== undefined });
    opened.server = await listen(app, settings.apiPort);
    const apiPort = opened.server.address().port;
    if (stopping) return;

    info(
      banner({
        apiPort,
        metrics: await servedMetrics(settings.metrics),
        llm: opened.llm.description,
        database: opened.database.description,
        traffic: settings.traffic,
        realtimeShare: settings.realtimeShare,
        durationSeconds: settings.durationSeconds,
      }),
    );
    progress.log(`ready ${apiPort}`);

    if (settings.traffic) {
      opened.traffic = createTraffic({
        baseURL: `http://127.0.0.1:${apiPort}`,
        onProblem: warn,
        realtimeShare: settings.realtimeShare,
      });
      opened.traffic.start().catch((error) => warn(`traffic: ${error?.stack ?? error}`));
      progress.start(() => opened.traffic.stats);
    }

    if (settings.durationSeconds !== undefined) {
      // The duration counts from the start of the process, so a run takes about that long in all.
      const remainingMs = Math.max(0, settings.durationSeconds * 1000 - performance.now());
      opened.deadline = setTimeout(async () => {
        await shutdown({ graceMs: 5000 }).catch((error) => {
          warn(`shutdown: ${error?.stack ?? error}`);
          process.exitCode = 1;
        });
        // Everything is closed, so the process ends by itself (and the register flushes on
        // beforeExit). Should a handle still hold the loop, this unref'd timer ends it.
        setTimeout(() => {
          warn('something still held the event loop after shutdown; exiting');
          process.exit();
        }, 3000).unref();
      }, remainingMs);
    }
  }

  starting = start();
  try {
    await starting;
  } catch (error) {
    progress.log(
      `could not start: ${error instanceof StartError ? error.message : (error?.stack ?? error)}`,
      process.stderr,
    );
    await shutdown({ graceMs: 0 }).catch(() => {});
    process.exit(1);
  }
}

main().catch((error) => {
  console.error(error?.stack ?? error);
  process.exit(1);
});
