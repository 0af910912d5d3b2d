import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Attributes } from '@opentelemetry/api';
import {
  DB_CLIENT_CONNECTION_COUNT,
  DB_CLIENT_CONNECTION_MAX,
  DB_CLIENT_CONNECTION_PENDING_REQUESTS,
  DB_CLIENT_OPERATION_DURATION,
} from '@va/semconv';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FIXTURES } from '../support/child-app.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';
import { sortedCounts } from './harness.js';

// `import pg from 'pg'` is patched through import-in-the-middle's loader hook, which only a real
// Node process started with `--import` has; vitest's own module loading would bypass it. The
// child loads the package's CommonJS build (turbo builds before it tests).
const PG_METRICS_MODULE = fileURLToPath(new URL('../../dist/cjs/pg/index.js', import.meta.url));

let postgres: TestPostgres;

beforeAll(async () => {
  postgres = await startPostgres();
});

afterAll(async () => {
  await postgres?.stop();
});

it('patches pg imported as an ES module', () => {
  const output = execFileSync(
    process.execPath,
    ['--import', resolve(FIXTURES, 'pg-esm-hook.mjs'), resolve(FIXTURES, 'pg-esm-app.mjs')],
    {
      cwd: FIXTURES,
      env: {
        PATH: process.env.PATH ?? '',
        DATABASE_URL: postgres.url,
        PG_METRICS_MODULE,
      },
      encoding: 'utf8',
      timeout: 20_000,
    },
  );
  const { failure, points } = JSON.parse(output.trim().split('\n').at(-1)!) as {
    failure: string;
    points: Record<string, { attributes: Attributes; value: number }[]>;
  };
  expect(failure).toBe('42P01');
  const base = {
    'db.system.name': 'postgresql',
    'db.namespace': 'postgres',
    'server.address': '127.0.0.1',
    'server.port': Number(new URL(postgres.url).port),
  };
  const counts = (points[DB_CLIENT_OPERATION_DURATION.name] ?? []).map(({ attributes, value }) => ({
    attributes,
    count: value,
  }));
  expect(sortedCounts(counts)).toEqual(
    sortedCounts([
      { attributes: { ...base, 'db.operation.name': 'SELECT' }, count: 3 },
      { attributes: { ...base, 'db.operation.name': 'SELECT', 'error.type': '42P01' }, count: 1 },
      { attributes: { ...base, 'db.operation.name': 'INSERT', 'error.type': '42P01' }, count: 1 },
    ]),
  );
  const pool = { 'db.client.connection.pool.name': `127.0.0.1:${base['server.port']}/postgres` };
  expect(points[DB_CLIENT_CONNECTION_COUNT.name]).toEqual([
    { attributes: { ...pool, 'db.client.connection.state': 'used' }, value: 0 },
    { attributes: { ...pool, 'db.client.connection.state': 'idle' }, value: 1 },
  ]);
  expect(points[DB_CLIENT_CONNECTION_MAX.name]).toEqual([{ attributes: pool, value: 3 }]);
  expect(points[DB_CLIENT_CONNECTION_PENDING_REQUESTS.name]).toEqual([{ attributes: pool, value: 0 }]);
});
