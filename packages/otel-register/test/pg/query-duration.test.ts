import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';
import { type Attributes, type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { DataPointType, type HistogramMetricData } from '@opentelemetry/sdk-metrics';
import { isWrappedByVa } from '@va/instrumentation-base';
import { DB_CLIENT_OPERATION_DURATION, DB_DURATION_BUCKETS } from '@va/semconv';
import type { Client, QueryConfig, QueryResult } from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../support/postgres.js';
import {
  countsDuring,
  ignoreIdleClientErrors,
  type Pg,
  type PgMetricsHarness,
  sortedCounts,
  startHarness,
} from './harness.js';

const DURATION = DB_CLIENT_OPERATION_DURATION.name;
const MISSING_TABLE = 'SELECT * FROM no_such_table';

let postgres: TestPostgres;
let harness: PgMetricsHarness;
let pg: Pg;
let client: Client;
const unhandledRejections: unknown[] = [];
const onUnhandledRejection = (reason: unknown): void => {
  unhandledRejections.push(reason);
};

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandledRejection);
  postgres = await startPostgres();
  harness = startHarness();
  pg = harness.pg;
  client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
});

afterEach(() => {
  // Nothing we do may leave a rejection unhandled (checked after every test, while the listener is ours).
  expect(unhandledRejections).toEqual([]);
});

afterAll(async () => {
  await client?.end();
  await harness?.shutdown();
  await postgres?.stop();
  process.off('unhandledRejection', onUnhandledRejection);
});

/** The attributes of a query on the test database. */
function attributes(operation?: string, errorType?: string): Attributes {
  const result: Attributes = {
    'db.system.name': 'postgresql',
    'db.namespace': 'postgres',
    'server.address': '127.0.0.1',
    'server.port': Number(new URL(postgres.url).port),
  };
  if (operation !== undefined) result['db.operation.name'] = operation;
  if (errorType !== undefined) result['error.type'] = errorType;
  return result;
}

function expectCounts(actual: ReturnType<typeof sortedCounts>, expected: [Attributes, number][]): void {
  expect(actual).toEqual(sortedCounts(expected.map(([attributes, count]) => ({ attributes, count }))));
}

/** Runs `action` with pg unpatched, to compare what the application sees with and without us. */
async function withoutInstrumentation<T>(action: () => Promise<T>): Promise<T> {
  harness.instrumentation.disable();
  try {
    expect(isWrappedByVa(pg.Client.prototype.query)).toBe(false);
    return await action();
  } finally {
    harness.instrumentation.enable();
    expect(isWrappedByVa(pg.Client.prototype.query)).toBe(true);
  }
}

/** What a rejected or thrown error looks like to the application. */
function describeError(error: unknown): unknown {
  const { message, code } = error as { message: string; code?: string };
  return { class: (error as object).constructor.name, message, code };
}

describe('db.client.operation.duration', () => {
  it('is a histogram in seconds with the buckets of @va/semconv', async () => {
    await client.query('SELECT 1');
    const metric = (await harness.collect()).find((candidate) => candidate.descriptor.name === DURATION);
    expect(metric?.dataPointType).toBe(DataPointType.HISTOGRAM);
    expect(metric?.descriptor).toMatchObject({
      name: DURATION,
      unit: DB_CLIENT_OPERATION_DURATION.unit,
      description: DB_CLIENT_OPERATION_DURATION.description,
    });
    for (const point of (metric as HistogramMetricData).dataPoints) {
      expect(point.value.buckets.boundaries).toEqual([...DB_DURATION_BUCKETS]);
    }
  });

  it('counts promise queries exactly, failures with the SQLSTATE as error.type', async () => {
    const added = await countsDuring(harness, DURATION, async () => {
      for (let index = 0; index < 3; index++) {
        expect((await client.query('SELECT 1 AS n')).rows).toEqual([{ n: 1 }]);
      }
      for (let index = 0; index < 2; index++) {
        const error = await client.query(MISSING_TABLE).catch((reason: unknown) => reason);
        expect(error).toBeInstanceOf(pg.DatabaseError);
        expect((error as { code: string }).code).toBe('42P01');
      }
      // A syntax error: the keyword is known, the statement is not valid.
      expect(await client.query('SELECT 1 +').catch((reason: { code: string }) => reason.code)).toBe('42601');
      // A misspelt keyword: no db.operation.name at all.
      expect(await client.query('SELEC 1').catch((reason: { code: string }) => reason.code)).toBe('42601');
      // Leading comments are skipped; the statement text never becomes an attribute.
      const commented = '/* why */ -- how\n  insert INTO no_such_table SELECT 1';
      expect(await client.query(commented).catch((reason: { code: string }) => reason.code)).toBe('42P01');
    });
    expectCounts(added, [
      [attributes('SELECT'), 3],
      [attributes('SELECT', '42P01'), 2],
      [attributes('SELECT', '42601'), 1],
      [attributes(undefined, '42601'), 1],
      [attributes('INSERT', '42P01'), 1],
    ]);
  });

  it('returns the promise pg built: same class, same value, same rejection object', async () => {
    const promise = client.query('SELECT 2 AS n');
    expect(promise).toBeInstanceOf(Promise);
    expect(Object.getPrototypeOf(promise)).toBe(Promise.prototype);
    expect((await promise).rows).toEqual([{ n: 2 }]);

    // A client given its own Promise class still gets promises of that class.
    class OwnPromise<T> extends Promise<T> {}
    const own = new pg.Client({ connectionString: postgres.url, Promise: OwnPromise } as never);
    await own.connect();
    try {
      const ownPromise = own.query('SELECT 3 AS n');
      expect(ownPromise).toBeInstanceOf(OwnPromise);
      expect((await ownPromise).rows).toEqual([{ n: 3 }]);
    } finally {
      await own.end();
    }

    const seen = await withoutInstrumentation(async () => [
      describeError(await client.query(MISSING_TABLE).catch((reason: unknown) => reason)),
      (await client.query('SELECT 2 AS n')).rows,
    ]);
    expect([
      describeError(await client.query(MISSING_TABLE).catch((reason: unknown) => reason)),
      (await client.query('SELECT 2 AS n')).rows,
    ]).toEqual(seen);
  });

  it('counts callback queries, and the callback gets the same arguments and this', async () => {
    type Call = { returned: unknown; arguments: number; error: unknown; rows: unknown; thisIsQuery: boolean };
    const callbackScenario = async (): Promise<Call[]> => {
      const calls: Call[] = [];
      const run = (start: (callback: (...rest: unknown[]) => void) => unknown): Promise<void> =>
        new Promise((done) => {
          const returned = start(function (this: unknown, ...rest: unknown[]) {
            const [error, result] = rest as [unknown, QueryResult | undefined];
            calls.push({
              returned,
              arguments: rest.length,
              error: error ? describeError(error) : error,
              rows: result?.rows,
              thisIsQuery: this instanceof pg.Query,
            });
            done();
          });
        });
      await run((callback) => client.query('SELECT 1 AS n', callback));
      await run((callback) => client.query('SELECT $1::int AS n', [5], callback));
      await run((callback) => client.query(MISSING_TABLE, callback));
      await run((callback) => client.query(MISSING_TABLE, [], callback));
      return calls;
    };
    const without = await withoutInstrumentation(callbackScenario);
    let withUs: Call[] = [];
    const added = await countsDuring(harness, DURATION, async () => {
      withUs = await callbackScenario();
    });
    expect(withUs).toEqual(without);
    expect(without.map((call) => call.arguments)).toEqual([2, 2, 1, 1]);
    expectCounts(added, [
      [attributes('SELECT'), 2],
      [attributes('SELECT', '42P01'), 2],
    ]);
  });

  it('counts config-object queries and leaves the config object as it was', async () => {
    const callback = (): void => {};
    const added = await countsDuring(harness, DURATION, async () => {
      expect((await client.query({ text: 'SELECT $1::int AS n', values: [7] })).rows).toEqual([{ n: 7 }]);
      expect((await client.query({ text: 'SELECT $1::int AS n' }, [8])).rows).toEqual([{ n: 8 }]);
      const config = { text: 'UPDATE no_such_table SET a = 1', callback: undefined as unknown };
      await new Promise<void>((done) => {
        config.callback = (error: { code: string }) => {
          expect(error.code).toBe('42P01');
          callback();
          done();
        };
        client.query(config as never);
      });
      const withCallback = config.callback;
      expect(Object.keys(config)).toEqual(['text', 'callback']);
      expect(config.callback).toBe(withCallback);
      const named = { name: 'named-select', text: 'select $1::text AS s', values: ['x'] };
      const copy = { ...named };
      expect((await client.query(named)).rows).toEqual([{ s: 'x' }]);
      expect((await client.query(named)).rows).toEqual([{ s: 'x' }]);
      expect(named).toEqual(copy);
    });
    expectCounts(added, [
      [attributes('SELECT'), 4],
      [attributes('UPDATE', '42P01'), 1],
    ]);
  });

  it('counts a synchronous throw and rethrows it as pg throws it', async () => {
    const throwing = [
      () => client.query(null as never),
      () => client.query(undefined as never, () => {}),
      () => client.query({ text: 'SELECT 1', callback: 42 } as never),
    ];
    const thrown = (call: () => unknown): unknown => {
      try {
        call();
      } catch (error) {
        return error;
      }
      throw new Error('did not throw');
    };
    const without = await withoutInstrumentation(async () =>
      throwing.map((call) => describeError(thrown(call))),
    );
    expect(without).toEqual([
      { class: 'TypeError', message: 'Client was passed a null or undefined query', code: undefined },
      { class: 'TypeError', message: 'Client was passed a null or undefined query', code: undefined },
      { class: 'TypeError', message: 'callback is not a function', code: undefined },
    ]);
    const added = await countsDuring(harness, DURATION, async () => {
      expect(throwing.map((call) => describeError(thrown(call)))).toEqual(without);
    });
    expectCounts(added, [
      [attributes(undefined, 'TypeError'), 2],
      [attributes('SELECT', 'TypeError'), 1],
    ]);
  });

  it('counts a query on an ended client (pg rejects it on the next tick)', async () => {
    const ended = new pg.Client({ connectionString: postgres.url });
    await ended.connect();
    await ended.end();
    const without = await withoutInstrumentation(async () =>
      describeError(await ended.query('SELECT 1').catch((reason: unknown) => reason)),
    );
    expect(without).toEqual({
      class: 'Error',
      message: 'Client was closed and is not queryable',
      code: undefined,
    });
    const added = await countsDuring(harness, DURATION, async () => {
      expect(describeError(await ended.query('SELECT 1').catch((reason: unknown) => reason))).toEqual(
        without,
      );
    });
    expectCounts(added, [[attributes('SELECT', 'Error'), 1]]);
  });

  it('leaves an unhandled failing query unhandled, as it is without us', async () => {
    const unhandledFailure = async (): Promise<unknown[]> => {
      const saved = process.listeners('unhandledRejection');
      process.removeAllListeners('unhandledRejection');
      const seen: unknown[] = [];
      process.on('unhandledRejection', (reason) => seen.push(reason));
      try {
        void client.query(MISSING_TABLE);
        // pg answers queries in order: once this one is back, the first has failed.
        await client.query('SELECT 1');
        await new Promise((done) => setTimeout(done, 50));
        return seen.map(describeError);
      } finally {
        process.removeAllListeners('unhandledRejection');
        for (const listener of saved) process.on('unhandledRejection', listener);
      }
    };
    const without = await withoutInstrumentation(unhandledFailure);
    expect(without).toEqual([
      { class: 'DatabaseError', message: 'relation "no_such_table" does not exist', code: '42P01' },
    ]);
    expect(await unhandledFailure()).toEqual(without);
  });

  it('counts pool.query like client.query', async () => {
    const pool = new pg.Pool({ connectionString: postgres.url, max: 2 }).on('error', ignoreIdleClientErrors);
    try {
      const added = await countsDuring(harness, DURATION, async () => {
        expect((await pool.query('SELECT 1 AS n')).rows).toEqual([{ n: 1 }]);
        expect((await pool.query('SELECT $1::int AS n', [2])).rows).toEqual([{ n: 2 }]);
        expect(await pool.query(MISSING_TABLE).catch((reason: { code: string }) => reason.code)).toBe(
          '42P01',
        );
        await new Promise<void>((done) =>
          pool.query('DELETE FROM no_such_table', (error: Error | undefined) => {
            expect(error).toBeInstanceOf(pg.DatabaseError);
            done();
          }),
        );
      });
      expectCounts(added, [
        [attributes('SELECT'), 2],
        [attributes('SELECT', '42P01'), 1],
        [attributes('DELETE', '42P01'), 1],
      ]);
    } finally {
      await pool.end();
    }
  });

  it('counts submittable queries on their end or error, and gives the object back as it was', async () => {
    const added = await countsDuring(harness, DURATION, async () => {
      // pg.Query without a callback: rows and the end come as events.
      const streamed = new pg.Query('SELECT generate_series(1, 3) AS n');
      const rows: unknown[] = [];
      streamed.on('row', (row: unknown) => rows.push(row));
      const ended = new Promise((done) => streamed.once('end', done));
      expect(client.query(streamed)).toBe(streamed);
      await ended;
      expect(rows).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
      expect(Object.hasOwn(streamed, 'emit')).toBe(false);

      const failing = new pg.Query(MISSING_TABLE);
      const failed = new Promise<{ code: string }>((done) => failing.once('error', done));
      client.query(failing);
      expect((await failed).code).toBe('42P01');
      expect(Object.hasOwn(failing, 'emit')).toBe(false);

      // pg.Query with its own callback: on failure it calls back and emits no 'error'.
      let ownCallback: ((error: Error | null) => void) | undefined;
      const calledBack = new Promise<Error | null>((done) => {
        ownCallback = (error) => done(error);
      });
      const withCallback = new pg.Query('UPDATE no_such_table SET a = 1', [], ownCallback as never);
      client.query(withCallback);
      expect(((await calledBack) as Error & { code: string }).code).toBe('42P01');
      expect((withCallback as unknown as { callback: unknown }).callback).toBe(ownCallback);

      // Any object with submit(), like pg-cursor: a minimal one that reads every row at once.
      const tiny = new TinySubmittable('SELECT 41 + 1 AS answer');
      const tinyEnded = new Promise((done) => tiny.once('end', done));
      client.query(tiny as never);
      await tinyEnded;
      expect(tiny.rows).toEqual([['42']]);

      // A stream over a cursor, like pg-query-stream: the statement is the cursor's, the end is
      // the stream's 'end', which only comes once the rows were read.
      const stream = new TinyQueryStream('SELECT generate_series(1, 2)');
      client.query(stream as never);
      const streamRows: unknown[] = [];
      for await (const row of stream) streamRows.push(row);
      expect(streamRows).toEqual([['1'], ['2']]);
      expect(Object.hasOwn(stream, 'emit')).toBe(false);

      const failingStream = new TinyQueryStream('DELETE FROM no_such_table');
      client.query(failingStream as never);
      const streamError = await (async () => {
        for await (const _ of failingStream) throw new Error('no rows expected');
      })().catch((reason: { code: string }) => reason.code);
      expect(streamError).toBe('42P01');
    });
    expectCounts(added, [
      [attributes('SELECT'), 3],
      [attributes('SELECT', '42P01'), 1],
      [attributes('UPDATE', '42P01'), 1],
      [attributes('DELETE', '42P01'), 1],
    ]);
  });

  it('logs a fault of its own once and lets the query run', async () => {
    const errors: unknown[] = [];
    const logger: DiagLogger = {
      error: (...rest) => errors.push(rest),
      warn: () => {},
      info: () => {},
      debug: () => {},
      verbose: () => {},
    };
    diag.setLogger(logger, DiagLogLevel.ERROR);
    try {
      // A config whose `text` cannot be read the first time: our read faults, pg's succeeds.
      const hostile = (): QueryConfig => {
        let reads = 0;
        return {
          get text(): string {
            reads++;
            if (reads === 1) throw new Error('not yet');
            return 'SELECT 9 AS n';
          },
        };
      };
      const added = await countsDuring(harness, DURATION, async () => {
        expect((await client.query(hostile())).rows).toEqual([{ n: 9 }]);
        expect((await client.query(hostile())).rows).toEqual([{ n: 9 }]);
      });
      expect(added).toEqual([]);
      expect(errors).toHaveLength(1);
    } finally {
      diag.disable();
    }
  });
});

/** The shape of pg-cursor, reduced: pg drives it through these handlers, it reports by events. */
class TinySubmittable extends EventEmitter {
  readonly rows: unknown[] = [];
  constructor(
    readonly text: string,
    private readonly _onRow?: (row: unknown) => void,
  ) {
    super();
  }
  submit(connection: { query(text: string): void }): void {
    connection.query(this.text);
  }
  handleRowDescription(): void {}
  handleDataRow(message: { fields: unknown[] }): void {
    this.rows.push(message.fields);
    this._onRow?.(message.fields);
  }
  handleCommandComplete(): void {}
  handleEmptyQuery(): void {}
  handleError(error: Error): void {
    this.emit('error', error);
  }
  handleReadyForQuery(): void {
    this.emit('end');
  }
}

const HANDLERS = [
  'handleRowDescription',
  'handleDataRow',
  'handleCommandComplete',
  'handleEmptyQuery',
  'handleError',
  'handleReadyForQuery',
] as const;

/** The shape of pg-query-stream: a Readable whose handlers are its cursor's and whose text is too. */
class TinyQueryStream extends Readable {
  readonly cursor: TinySubmittable;
  constructor(text: string) {
    super({ objectMode: true });
    this.cursor = new TinySubmittable(text, (row) => this.push(row));
    this.cursor.once('end', () => this.push(null));
    this.cursor.once('error', (error: Error) => this.destroy(error));
    for (const handler of HANDLERS) {
      (this as unknown as Record<string, unknown>)[handler] = this.cursor[handler].bind(this.cursor);
    }
  }
  submit(connection: { query(text: string): void }): void {
    this.cursor.submit(connection);
  }
  override _read(): void {}
}
