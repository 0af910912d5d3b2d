/**
 * The parts of pg and pg-pool this instrumentation relies on, typed as narrowly as it uses them.
 * None of this leaks into the public API: pg is the application's dependency, not ours, so we
 * never import its types.
 */

export type QueryFunction = (
  this: PgClient,
  config?: unknown,
  values?: unknown,
  callback?: unknown,
) => unknown;

export type PromiseExecutor = (resolve: (value: unknown) => void, reject: (reason: unknown) => void) => void;

/** Whatever `Promise` implementation the client was given (`new Client({ Promise })`), global by default. */
export type PromiseConstructorOfClient = new (executor: PromiseExecutor) => PromiseLike<unknown>;

export interface ConnectionParameters {
  readonly host?: unknown;
  readonly port?: unknown;
  readonly database?: unknown;
}

export interface PgClient {
  connectionParameters?: ConnectionParameters;
  /** pg ≥ 7: the promise class `query()` builds its result with (lib/client.js, lib/native/client.js). */
  _Promise?: PromiseConstructorOfClient;
}

export interface PgClientClass {
  prototype: { query: QueryFunction };
}

/** pg-pool's Pool: only its public counters, its options and its own client list are read. */
export interface PgPool {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
  readonly ended?: boolean;
  readonly options?: {
    readonly max?: unknown;
    readonly host?: unknown;
    readonly port?: unknown;
    readonly database?: unknown;
  };
  /** pg-pool internal: the clients it opened, whose resolved connection parameters name the pool. */
  readonly _clients?: readonly PgClient[];
}

export type PoolConnectFunction = (this: PgPool, ...rest: unknown[]) => unknown;
export type PoolQueryFunction = (this: PgPool, ...rest: unknown[]) => unknown;

export interface PgPoolClass {
  prototype: { connect: PoolConnectFunction; query: PoolQueryFunction };
}

/** What `require('pg')` returns, or the `default` of `import('pg')`. */
export interface PgModule {
  Client?: PgClientClass;
  Pool?: PgPoolClass;
}

/** A query object pg hands the connection to as is (pg.Query, pg-cursor, pg-query-stream). */
export interface Submittable {
  submit: (...rest: unknown[]) => unknown;
  callback?: unknown;
  text?: unknown;
  emit?: (event: string | symbol, ...rest: unknown[]) => boolean;
}
