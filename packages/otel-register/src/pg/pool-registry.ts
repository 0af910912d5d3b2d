import type { PgPool } from './internal-types.js';
import { poolNameOf } from './pool-name.js';
import type { FaultReporter } from './query-recorder.js';

interface TrackedPool {
  readonly pool: WeakRef<PgPool>;
  readonly name: string;
}

/** One pool name's counters at collection time, summed over the live pools that share the name. */
export interface PoolTotals {
  used: number;
  idle: number;
  max: number;
  pending: number;
}

/**
 * The pools the application uses, found on their first `connect()` (pool.query calls it), held
 * weakly so that tracking never keeps a pool alive. Their counters are read only when metrics are
 * collected, straight from pg-pool's own getters, so they cannot drift from the pool's state the
 * way counters updated on pool events can (pg-pool emits `release` before the client is back in
 * the idle list).
 */
export class PoolRegistry {
  private _known = new WeakSet<PgPool>();
  private readonly _pools = new Set<TrackedPool>();
  private readonly _collected = new FinalizationRegistry<TrackedPool>((entry) => this._pools.delete(entry));

  constructor(private readonly _reportFault: FaultReporter) {}

  /** Never throws. Called on every pool.connect(), so the known case returns at once. */
  track(pool: PgPool): void {
    try {
      if (this._known.has(pool) || pool.ended) return;
      this._known.add(pool);
      const entry: TrackedPool = { pool: new WeakRef(pool), name: poolNameOf(pool) };
      this._pools.add(entry);
      this._collected.register(pool, entry, entry);
    } catch (fault) {
      this._reportFault(fault);
    }
  }

  /** Counters of the live pools by pool name; pools that ended or were collected are dropped. */
  totals(): Map<string, PoolTotals> {
    const totals = new Map<string, PoolTotals>();
    for (const entry of this._pools) {
      const pool = entry.pool.deref();
      if (pool === undefined || pool.ended) {
        this._forget(entry);
        continue;
      }
      try {
        const total = pool.totalCount;
        const idle = pool.idleCount;
        const max = Number(pool.options?.max);
        let sum = totals.get(entry.name);
        if (sum === undefined) {
          sum = { used: 0, idle: 0, max: 0, pending: 0 };
          totals.set(entry.name, sum);
        }
        sum.used += total - idle;
        sum.idle += idle;
        sum.max += Number.isFinite(max) ? max : 0;
        sum.pending += pool.waitingCount;
      } catch (fault) {
        this._forget(entry);
        this._reportFault(fault);
      }
    }
    return totals;
  }

  /** Forgets every pool (the instrumentation was disabled); a pool is tracked again on its next connect. */
  clear(): void {
    for (const entry of this._pools) this._forget(entry);
    this._known = new WeakSet();
  }

  private _forget(entry: TrackedPool): void {
    this._pools.delete(entry);
    this._collected.unregister(entry);
  }
}
