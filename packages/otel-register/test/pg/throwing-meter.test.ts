// Our own bug, simulated: every instrument the pg instrumentation records into throws. Queries must
// return and fail exactly as pg makes them, callbacks must be called as pg calls them, and the fault
// must be logged (once), never thrown at the app.

import { createRequire } from 'node:module';
import { type DiagLogger, DiagLogLevel, diag, type MeterProvider } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgMetricsInstrumentation } from '../../src/pg/index.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';
import type { Pg } from './harness.js';

function boom(): never {
  throw new Error('instrument down');
}

/** A meter whose every instrument throws on record and add; observable callbacks are accepted. */
const throwingMeterProvider = {
  getMeter: () =>
    new Proxy(
      {
        addBatchObservableCallback() {},
        removeBatchObservableCallback() {},
      },
      {
        get(target, key) {
          if (key in target) return target[key as keyof typeof target];
          return () => ({ record: boom, add: boom, addCallback() {}, removeCallback() {} });
        },
      },
    ),
} as unknown as MeterProvider;

let postgres: TestPostgres;
let instrumentation: PgMetricsInstrumentation;
let pg: Pg;
const logged: string[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  const logger: DiagLogger = {
    error: (...args) => logged.push(args.map(String).join(' ')),
    warn: (...args) => logged.push(args.map(String).join(' ')),
    info: () => {},
    debug: () => {},
    verbose: () => {},
  };
  diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  postgres = await startPostgres();
  instrumentation = new PgMetricsInstrumentation();
  instrumentation.setMeterProvider(throwingMeterProvider);
  instrumentation.enable();
  pg = createRequire(import.meta.url)('pg') as Pg;
});

afterAll(async () => {
  instrumentation?.disable();
  await postgres?.stop();
  diag.disable();
  process.off('unhandledRejection', onUnhandled);
});

describe('pg with instruments that throw', () => {
  it('returns, fails and calls back exactly as pg does; the fault is logged, never thrown', async () => {
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    try {
      expect((await client.query('SELECT 1 AS n')).rows).toEqual([{ n: 1 }]);
      const failure = (await client
        .query('SELECT * FROM no_such_table')
        .catch((error: unknown) => error)) as {
        code?: string;
      };
      expect(failure).toBeInstanceOf(Error);
      expect(failure.code).toBe('42P01');
      const viaCallback = await new Promise<unknown>((resolve, reject) => {
        client.query('SELECT 2 AS n', (error: Error | null, result: { rows: unknown }) =>
          error === null ? resolve(result.rows) : reject(error),
        );
      });
      expect(viaCallback).toEqual([{ n: 2 }]);
      const failedCallback = await new Promise<unknown>((resolve) => {
        client.query('SELECT * FROM no_such_table', (error: Error | null) => resolve(error));
      });
      expect((failedCallback as { code?: string }).code).toBe('42P01');
    } finally {
      await client.end();
    }

    const pool = new pg.Pool({ connectionString: postgres.url, max: 2 });
    try {
      const results = await Promise.all([1, 2, 3, 4].map((n) => pool.query('SELECT $1::int AS n', [n])));
      expect(results.map((result) => result.rows[0])).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
      const poolFailure = (await pool
        .query('SELECT * FROM no_such_table')
        .catch((error: unknown) => error)) as {
        code?: string;
      };
      expect(poolFailure.code).toBe('42P01');
    } finally {
      await pool.end();
    }

    await new Promise((resolve) => setImmediate(resolve));
    expect(unhandled).toEqual([]);
    // Logged once (the instrumentation's name first), though 10 queries hit the fault.
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/^@va\/otel-register\/pg: recording metrics failed; .*instrument down/);
  });
});
