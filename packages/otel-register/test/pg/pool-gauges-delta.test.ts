import { AggregationTemporality } from '@opentelemetry/sdk-metrics';
import type { Pool } from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../support/postgres.js';
import { ignoreIdleClientErrors, type PgMetricsHarness, poolStateOf, startHarness } from './harness.js';

// A file of its own: one instrumentation per process, as pg's prototypes can carry one wrapper.
let postgres: TestPostgres;
let harness: PgMetricsHarness;

beforeAll(async () => {
  postgres = await startPostgres();
  harness = startHarness(AggregationTemporality.DELTA);
});

afterAll(async () => {
  await harness?.shutdown();
  await postgres?.stop();
});

it('under delta temporality, an ended pool reports its connections gone, then disappears', async () => {
  const poolName = `127.0.0.1:${new URL(postgres.url).port}/postgres`;
  const state = async () => poolStateOf(await harness.collect(), poolName);
  const pool: Pool = new harness.pg.Pool({ connectionString: postgres.url, max: 4 }).on(
    'error',
    ignoreIdleClientErrors,
  );
  try {
    await Promise.all([pool.query('SELECT 1'), pool.query('SELECT 1')]);
    expect(await state()).toEqual({ used: 0, idle: 2, max: 4, pending: 0 });
    // Unchanged: asynchronous up-down counters are exported as changes under delta temporality.
    expect(await state()).toEqual({ used: 0, idle: 0, max: 0, pending: 0 });
  } finally {
    await pool.end();
  }
  expect(await state()).toEqual({ used: 0, idle: -2, max: -4, pending: 0 });
  expect(await state()).toBeUndefined();
});
