import { type Meter, ValueType } from '@opentelemetry/api';
import { MetricsInstrumentation, type ModulePatch, unwrapMethod, wrapMethod } from '@va/instrumentation-base';
import { DB_CLIENT_OPERATION_DURATION } from '@va/semconv';
import { PACKAGE_VERSION as INSTRUMENTATION_VERSION } from '../version.js';
import type { PgClientClass, PgModule, PgPoolClass } from './internal-types.js';
import { observePools } from './pool-metrics.js';
import { createPoolConnectPatch, createPoolQueryPatch } from './pool-patch.js';
import { PoolRegistry } from './pool-registry.js';
import { createQueryPatch } from './query-patch.js';
import { QueryRecorder } from './query-recorder.js';
import type { PgMetricsInstrumentationConfig } from './types.js';

const INSTRUMENTATION_NAME = '@va/otel-register/pg';

/** pg 8.0.3 is the oldest release upstream instrumentation-pg supports too. */
const SUPPORTED_VERSIONS = { minimum: '8.0.3', below: '9' };

/**
 * Metrics for `pg` (node-postgres), and nothing else (no spans): the operation duration histogram
 * for every query, failed ones included with `error.type`, and the pool gauges
 * `db.client.connection.count` / `.max` / `.pending_requests` read from pg-pool at collection time.
 *
 * It replaces `@opentelemetry/instrumentation-pg`, whose promise path records failures without
 * `error.type`, which does not record a query that throws synchronously, and whose pool gauges,
 * kept up to date on pool events, can report a used connection while the pool is idle. Beside an
 * application's own tracing, upstream's pg instrumentation may be loaded too: each wraps over the
 * other (see @va/instrumentation-base), its spans and our metrics both stay.
 */
export class PgMetricsInstrumentation extends MetricsInstrumentation<PgMetricsInstrumentationConfig> {
  private readonly _recorder = new QueryRecorder((fault) => this.reportFault(fault));
  private readonly _pools = new PoolRegistry((fault) => this.reportFault(fault));
  private _stopObservingPools: (() => void) | undefined;

  constructor(config: PgMetricsInstrumentationConfig = {}) {
    super(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION, config);
  }

  protected override createInstruments(meter: Meter): void {
    this._recorder.histogram = meter.createHistogram(DB_CLIENT_OPERATION_DURATION.name, {
      unit: DB_CLIENT_OPERATION_DURATION.unit,
      description: DB_CLIENT_OPERATION_DURATION.description,
      valueType: ValueType.DOUBLE,
      advice: { explicitBucketBoundaries: [...(DB_CLIENT_OPERATION_DURATION.buckets ?? [])] },
    });
    // The previous meter must stop reading our pools, or a replaced provider keeps reporting them.
    this._stopObservingPools?.();
    this._stopObservingPools = observePools(meter, this._pools);
  }

  protected override modulePatches(): readonly ModulePatch[] {
    return [
      {
        module: 'pg',
        versions: SUPPORTED_VERSIONS,
        patch: (moduleExports) => this._patch(moduleExports),
        unpatch: (moduleExports) => this._unpatch(moduleExports),
      },
    ];
  }

  private _patch(moduleExports: unknown): void {
    const pg = pgOf(moduleExports);
    const client = clientPrototypeOf(pg);
    if (client !== undefined) wrapMethod(client, 'query', createQueryPatch(this._recorder) as never);
    const pool = poolPrototypeOf(pg);
    if (pool !== undefined) {
      wrapMethod(pool, 'connect', createPoolConnectPatch(this._pools, this._recorder) as never);
      // pool.query() whose connection fails never reaches the client's query: connect() records it.
      if (typeof pool.query === 'function') wrapMethod(pool, 'query', createPoolQueryPatch() as never);
    }
  }

  private _unpatch(moduleExports: unknown): void {
    const pg = pgOf(moduleExports);
    const client = clientPrototypeOf(pg);
    if (client !== undefined) unwrapMethod(client, 'query');
    const pool = poolPrototypeOf(pg);
    if (pool !== undefined) {
      unwrapMethod(pool, 'connect');
      unwrapMethod(pool, 'query');
    }
    this._pools.clear();
  }
}

/** `require('pg')` gives the module itself; `import pg from 'pg'` (import-in-the-middle) its namespace. */
function pgOf(moduleExports: unknown): PgModule {
  const namespace = moduleExports as { [Symbol.toStringTag]?: unknown; default?: PgModule };
  return (namespace[Symbol.toStringTag] === 'Module' ? namespace.default : moduleExports) as PgModule;
}

function clientPrototypeOf(pg: PgModule): PgClientClass['prototype'] | undefined {
  const prototype = pg?.Client?.prototype;
  return typeof prototype?.query === 'function' ? prototype : undefined;
}

/** pg-pool's own prototype, under pg's `BoundPool` subclass: the object that owns `connect`. */
function poolPrototypeOf(pg: PgModule): PgPoolClass['prototype'] | undefined {
  for (let prototype = pg?.Pool?.prototype; prototype; prototype = Object.getPrototypeOf(prototype)) {
    if (Object.hasOwn(prototype, 'connect') && typeof prototype.connect === 'function') return prototype;
  }
  return undefined;
}
