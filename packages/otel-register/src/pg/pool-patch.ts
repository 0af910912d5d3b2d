import type { PgPool, PoolConnectFunction } from './internal-types.js';
import type { PoolRegistry } from './pool-registry.js';

/**
 * The replacement for pg-pool's `Pool.prototype.connect`, which both `pool.connect()` and
 * `pool.query()` go through: it makes the pool known to the registry, after the original call so
 * that the pool's first client (which names it) exists. pg's `Pool` is a subclass of pg-pool's
 * that pg builds per client class (`BoundPool`), so pg-pool's prototype is where every pool passes.
 */
export function createPoolConnectPatch(
  registry: PoolRegistry,
): (original: PoolConnectFunction) => PoolConnectFunction {
  return (original) =>
    function connect(this: PgPool, ...args: unknown[]): unknown {
      const result = Reflect.apply(original, this, args);
      registry.track(this);
      return result;
    };
}
