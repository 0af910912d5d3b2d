import type { PgPool } from './internal-types.js';

/**
 * `db.client.connection.pool.name`: `host:port/database`, never the user or the password.
 * The parts come from a client the pool opened, whose connection parameters pg has already resolved
 * from `connectionString`, the PG* environment variables and its defaults, so the name matches
 * `server.address`, `server.port` and `db.namespace` on the pool's queries. Before the pool has a
 * client, its options are used as given.
 */
export function poolNameOf(pool: PgPool): string {
  const parameters = pool._clients?.[0]?.connectionParameters ?? pool.options ?? {};
  return `${String(parameters.host ?? 'localhost')}:${String(parameters.port ?? 5432)}/${String(parameters.database ?? '')}`;
}
