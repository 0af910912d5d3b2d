import { DB_CLIENT_CONNECTION_MAX } from '@va/semconv';
import type { Pool, PoolClient } from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../support/postgres.js';
import {
  ignoreIdleClientErrors,
  type PgMetricsHarness,
  type PoolState,
  poolStateOf,
  startHarness,
  sumValues,
} from './harness.js';

let postgres: TestPostgres;
let harness: PgMetricsHarness;
let poolName: string;
/** Every pool a test opens, ended after it even when it fails (idle clients would outlive Postgres). */
const pools: Pool[] = [];

beforeAll(async () => {
  postgres = await startPostgres();
  harness = startHarness();
  poolName = `127.0.0.1:${new URL(postgres.url).port}/postgres`;
});

afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => (pool.ending ? undefined : pool.end())));
});

afterAll(async () => {
  await harness?.shutdown();
  await postgres?.stop();
});

async function poolState(): Promise<PoolState | undefined> {
  return poolStateOf(await harness.collect(), poolName);
}

describe('pool gauges', () => {
  it('follow a pool through busy, idle, held, queued and ended', async () => {
    const pool: Pool = new harness.pg.Pool({ connectionString: postgres.url, max: 4 }).on(
      'error',
      ignoreIdleClientErrors,
    );
    pools.push(pool);
    // Not yet used: the pool is found on its first connect, so it is not reported.
    expect(await poolState()).toBeUndefined();

    // Three queries at once: no client is idle and the pool is not full, so pg-pool opens one
    // client for each; each is back in the idle list before its query's promise resolves.
    await Promise.all([1, 2, 3].map(() => pool.query('SELECT pg_sleep(0.05)')));
    expect(await poolState()).toEqual({ used: 0, idle: 3, max: 4, pending: 0 });

    const held: PoolClient[] = [await pool.connect()];
    expect(await poolState()).toEqual({ used: 1, idle: 2, max: 4, pending: 0 });

    // Take the two idle clients and open the fourth: the pool is full.
    held.push(await pool.connect(), await pool.connect(), await pool.connect());
    expect(await poolState()).toEqual({ used: 4, idle: 0, max: 4, pending: 0 });

    const queued = pool.query('SELECT 1 AS n');
    expect(await poolState()).toEqual({ used: 4, idle: 0, max: 4, pending: 1 });

    held.pop()!.release();
    expect((await queued).rows).toEqual([{ n: 1 }]);
    expect(await poolState()).toEqual({ used: 3, idle: 1, max: 4, pending: 0 });

    for (const client of held) client.release();
    expect(await poolState()).toEqual({ used: 0, idle: 4, max: 4, pending: 0 });

    // pool.query releases its client with the query's error, and pg-pool closes a client released
    // with an error: every failed pool.query costs the pool a connection.
    expect(
      await pool.query('SELECT * FROM no_such_table').catch((error: { code: string }) => error.code),
    ).toBe('42P01');
    expect(await poolState()).toEqual({ used: 0, idle: 3, max: 4, pending: 0 });

    await pool.end();
    // The SDK keeps reporting, under cumulative temporality, the last value of every series an
    // asynchronous instrument ever reported: an ended pool is reported once more, with zeros.
    expect(await poolState()).toEqual({ used: 0, idle: 0, max: 0, pending: 0 });
    expect(await poolState()).toEqual({ used: 0, idle: 0, max: 0, pending: 0 });
  });

  it('sums the pools that share a name, however they were configured', async () => {
    const { port } = new URL(postgres.url);
    const byUrl: Pool = new harness.pg.Pool({ connectionString: postgres.url, max: 2 }).on(
      'error',
      ignoreIdleClientErrors,
    );
    const byFields: Pool = new harness.pg.Pool({
      host: '127.0.0.1',
      port: Number(port),
      database: 'postgres',
      user: 'postgres',
      password: 'va-test',
      max: 3,
    }).on('error', ignoreIdleClientErrors);
    pools.push(byUrl, byFields);
    await byUrl.query('SELECT 1');
    await byFields.query('SELECT 1');
    const held = await byFields.connect();
    expect(await poolState()).toEqual({ used: 1, idle: 1, max: 5, pending: 0 });
    held.release();
    await byUrl.end();
    expect(await poolState()).toEqual({ used: 0, idle: 1, max: 3, pending: 0 });
    await byFields.end();
    expect(await poolState()).toEqual({ used: 0, idle: 0, max: 0, pending: 0 });
  });

  it('never names the user or the password', async () => {
    const pool: Pool = new harness.pg.Pool({ connectionString: postgres.url }).on(
      'error',
      ignoreIdleClientErrors,
    );
    pools.push(pool);
    await pool.query('SELECT 1');
    const names = sumValues(await harness.collect(), DB_CLIENT_CONNECTION_MAX.name).map(
      (point) => point.attributes['db.client.connection.pool.name'],
    );
    expect(names).toEqual([poolName]);
    expect(await poolState()).toEqual({ used: 0, idle: 1, max: 10, pending: 0 });
    await pool.end();
  });
});
