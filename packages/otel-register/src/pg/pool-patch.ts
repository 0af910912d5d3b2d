import type { PgClient, PgPool, PoolConnectFunction, PoolQueryFunction } from './internal-types.js';
import type { PoolRegistry } from './pool-registry.js';
import type { QueryRecorder } from './query-recorder.js';

/** The pool.query() being called right now (pg-pool calls connect() synchronously inside it). */
interface PoolQueryCall {
  readonly pool: PgPool;
  readonly config: unknown;
}
let poolQueryInProgress: PoolQueryCall | undefined;

/**
 * The replacement for pg-pool's `Pool.prototype.connect`, which both `pool.connect()` and
 * `pool.query()` go through: it makes the pool known to the registry, after the original call so
 * that the pool's first client (which names it) exists. pg's `Pool` is a subclass of pg-pool's
 * that pg builds per client class (`BoundPool`), so pg-pool's prototype is where every pool passes.
 *
 * Inside `pool.query()`, it also watches the connection: when none can be had (Postgres down, the
 * pool ended, a connection timeout), the query never reaches `Client.prototype.query`, so it is
 * recorded here, with the connection's error as `error.type`. When a connection is had, the
 * client's query records itself and this observation is dropped: each query is counted once.
 */
export function createPoolConnectPatch(
  registry: PoolRegistry,
  recorder: QueryRecorder,
): (original: PoolConnectFunction) => PoolConnectFunction {
  return (original) =>
    function connect(this: PgPool, ...args: unknown[]): unknown {
      const forQuery = poolQueryInProgress?.pool === this ? poolQueryInProgress : undefined;
      poolQueryInProgress = undefined;
      const callback = args[0];
      if (forQuery === undefined || typeof callback !== 'function') {
        const result = Reflect.apply(original, this, args);
        registry.track(this);
        return result;
      }
      const started = performance.now();
      // pg-pool may call back before connect() returns (an ended pool): the error waits for us.
      let connectError: { error: unknown } | undefined;
      let returned = false;
      // Taken as connect() returns: pg-pool drops a client whose connection failed from its list.
      let client: PgClient | undefined;
      const record = (error: unknown): void => {
        try {
          recorder.recordConnectFailure(client ?? clientOf(this), forQuery.config, started, error);
        } catch (fault) {
          recorder.reportFault(fault);
        }
      };
      const observed = function observedConnect(this: unknown, ...rest: unknown[]): unknown {
        if (rest[0]) {
          if (returned) record(rest[0]);
          else connectError = { error: rest[0] };
        }
        return Reflect.apply(callback as (...values: unknown[]) => unknown, this, rest);
      };
      const result = Reflect.apply(original, this, [observed, ...args.slice(1)]);
      returned = true;
      try {
        client = clientOf(this);
      } catch (fault) {
        recorder.reportFault(fault);
      }
      if (connectError !== undefined) record(connectError.error);
      registry.track(this);
      return result;
    };
}

/**
 * The replacement for pg-pool's `Pool.prototype.query`: it only marks the call, for the connect()
 * that pg-pool makes inside it (see createPoolConnectPatch). Arguments, return value and throws
 * are pg-pool's own.
 */
export function createPoolQueryPatch(): (original: PoolQueryFunction) => PoolQueryFunction {
  return (original) =>
    function query(this: PgPool, ...args: unknown[]): unknown {
      const outer = poolQueryInProgress;
      poolQueryInProgress = { pool: this, config: args[0] };
      try {
        return Reflect.apply(original, this, args);
      } finally {
        poolQueryInProgress = outer;
      }
    };
}

/**
 * A client of the pool, whose resolved connection parameters give the query its server and
 * database attributes; before the pool has one, its options as given.
 */
function clientOf(pool: PgPool): PgClient {
  const clients = pool._clients;
  const client = clients?.[clients.length - 1];
  if (client?.connectionParameters !== undefined) return client;
  return { connectionParameters: pool.options ?? {} };
}
