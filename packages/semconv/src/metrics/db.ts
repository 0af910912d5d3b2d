import {
  DB_CLIENT_CONNECTION_POOL_NAME,
  DB_CLIENT_CONNECTION_STATE,
  DB_NAMESPACE,
  DB_OPERATION_NAME,
  DB_SYSTEM_NAME,
  ERROR_TYPE,
  SERVER_ADDRESS,
  SERVER_PORT,
} from '../attributes.js';
import { DB_DURATION_BUCKETS } from '../buckets.js';
import type { MetricDefinition } from '../types.js';

const RECORDED_BY_PG = '@va/otel-register';

/** https://opentelemetry.io/docs/specs/semconv/database/database-metrics/#metric-dbclientoperationduration */
export const DB_CLIENT_OPERATION_DURATION: MetricDefinition = {
  name: 'db.client.operation.duration',
  kind: 'histogram',
  unit: 's',
  description:
    'Duration of database client operations (one pg query), failed ones included with `error.type`.',
  buckets: DB_DURATION_BUCKETS,
  attributes: [DB_SYSTEM_NAME, DB_NAMESPACE, DB_OPERATION_NAME, SERVER_ADDRESS, SERVER_PORT, ERROR_TYPE],
  recordedBy: RECORDED_BY_PG,
  stability: 'stable',
};

/** https://opentelemetry.io/docs/specs/semconv/database/database-metrics/#metric-dbclientconnectioncount */
export const DB_CLIENT_CONNECTION_COUNT: MetricDefinition = {
  name: 'db.client.connection.count',
  kind: 'updowncounter',
  unit: '{connection}',
  description: 'Connections of a pg.Pool, by state (idle or used), read from the pool at collection time.',
  attributes: [DB_CLIENT_CONNECTION_STATE, DB_CLIENT_CONNECTION_POOL_NAME],
  recordedBy: RECORDED_BY_PG,
  stability: 'development',
  exportName: 'db.client.connections.usage',
  exportReason:
    'Rendered as is, the gauge would be `…_connection_count`, which `promtool check metrics` rejects: `_count` is reserved for histogram and summary samples. We export it under the name the conventions used before 1.26.',
};

/** https://opentelemetry.io/docs/specs/semconv/database/database-metrics/#metric-dbclientconnectionmax */
export const DB_CLIENT_CONNECTION_MAX: MetricDefinition = {
  name: 'db.client.connection.max',
  kind: 'updowncounter',
  unit: '{connection}',
  description: 'The most connections a pg.Pool may open.',
  attributes: [DB_CLIENT_CONNECTION_POOL_NAME],
  recordedBy: RECORDED_BY_PG,
  stability: 'development',
};

/** https://opentelemetry.io/docs/specs/semconv/database/database-metrics/#metric-dbclientconnectionpending_requests */
export const DB_CLIENT_CONNECTION_PENDING_REQUESTS: MetricDefinition = {
  name: 'db.client.connection.pending_requests',
  kind: 'updowncounter',
  unit: '{request}',
  description: 'Requests waiting for a pg.Pool connection.',
  attributes: [DB_CLIENT_CONNECTION_POOL_NAME],
  recordedBy: RECORDED_BY_PG,
  stability: 'development',
};

export const DB_METRICS: readonly MetricDefinition[] = [
  DB_CLIENT_OPERATION_DURATION,
  DB_CLIENT_CONNECTION_COUNT,
  DB_CLIENT_CONNECTION_MAX,
  DB_CLIENT_CONNECTION_PENDING_REQUESTS,
];
