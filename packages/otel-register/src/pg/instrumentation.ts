import { ValueType } from '@opentelemetry/api';
import {
  InstrumentationBase,
  InstrumentationNodeModuleDefinition,
  isWrapped,
} from '@opentelemetry/instrumentation';
import { DB_CLIENT_OPERATION_DURATION } from '@va/semconv';
import type { PgClientClass, PgModule, PgPoolClass } from './internal-types.js';
import { observePools } from './pool-metrics.js';
import { createPoolConnectPatch, createPoolQueryPatch } from './pool-patch.js';
import { PoolRegistry } from './pool-registry.js';
import { createQueryPatch } from './query-patch.js';
import { QueryRecorder } from './query-recorder.js';
import type { PgMetricsInstrumentationConfig } from './types.js';

const INSTRUMENTATION_NAME = '@va/otel-register/pg';

import { PACKAGE_VERSION as INSTRUMENTATION_VERSION } from '../version.js';

/** pg 8.0.3 is the oldest release upstream instrumentation-pg supports too. */
const SUPPORTED_VERSIONS = ['>=8.0.3 <9'];

/**
 * Metrics for `pg` (node-postgres), and nothing else (no spans): the operation duration histogram
 * for every query, failed ones included with `error.type`, and the pool gauges
 * `db.client.connection.count` / `.max` / `.pending_requests` read from pg-pool at collection time.
 *
 * It replaces `@opentelemetry/instrumentation-pg`, whose promise path records failures without
 * `error.type`, which does not record a query that throws synchronously, and whose pool gauges,
 * kept up to date on pool events, can report a used connection while the pool is idle.
 */
export class PgMetricsInstrumentation extends InstrumentationBase<PgMetricsInstrumentationConfig> {
  // Set in _updateMetricInstruments(), which the base constructor calls before any field
  // initialiser of this class would run; `declare` keeps the compiler from emitting one that
  // would reset them (ES2022 class fields).
  declare private _recorder: QueryRecorder;
  declare private _pools: PoolRegistry;
  declare private _stopObservingPools: (() => void) | undefined;
  declare private _faultReported: boolean | undefined;

  constructor(config: PgMetricsInstrumentationConfig = {}) {
    super(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION, config);
  }

  protected override _updateMetricInstruments(): void {
    this._recorder ??= new QueryRecorder((fault) => this._reportFault(fault));
    this._pools ??= new PoolRegistry((fault) => this._reportFault(fault));
    this._recorder.histogram = this.meter.createHistogram(DB_CLIENT_OPERATION_DURATION.name, {
      unit: DB_CLIENT_OPERATION_DURATION.unit,
      description: DB_CLIENT_OPERATION_DURATION.description,
      valueType: ValueType.DOUBLE,
      advice: { explicitBucketBoundaries: [...(DB_CLIENT_OPERATION_DURATION.buckets ?? [])] },
    });
    // The previous meter must stop reading our pools, or a replaced provider keeps reporting them.
    this._stopObservingPools?.();
    this._stopObservingPools = observePools(this.meter, this._pools);
  }

  protected override init(): InstrumentationNodeModuleDefinition {
    return new InstrumentationNodeModuleDefinition(
      'pg',
      SUPPORTED_VERSIONS,
      (moduleExports) => this._patch(moduleExports),
      (moduleExports) => this._unpatch(moduleExports),
    );
  }

  private _patch<T>(moduleExports: T): T {
    try {
      const pg = pgOf(moduleExports);
      const client = clientPrototypeOf(pg);
      if (client !== undefined) this._wrap(client, 'query', createQueryPatch(this._recorder));
      const pool = poolPrototypeOf(pg);
      if (pool !== undefined) {
        this._wrap(pool, 'connect', createPoolConnectPatch(this._pools, this._recorder));
        // pool.query() whose connection fails never reaches the client's query: connect() records it.
        if (typeof pool.query === 'function') this._wrap(pool, 'query', createPoolQueryPatch());
      }
    } catch (fault) {
      this._reportFault(fault);
    }
    return moduleExports;
  }

  private _unpatch(moduleExports: unknown): void {
    try {
      const pg = pgOf(moduleExports);
      const client = clientPrototypeOf(pg);
      if (client !== undefined && isWrapped(client.query)) this._unwrap(client, 'query');
      const pool = poolPrototypeOf(pg);
      if (pool !== undefined && isWrapped(pool.connect)) this._unwrap(pool, 'connect');
      if (pool !== undefined && isWrapped(pool.query)) this._unwrap(pool, 'query');
      this._pools.clear();
    } catch (fault) {
      this._reportFault(fault);
    }
  }

  /** Our own faults never reach the application; the first is logged as an error, the rest quietly. */
  private _reportFault(fault: unknown): void {
    if (this._faultReported) {
      this._diag.debug('pg metrics fault', fault);
      return;
    }
    this._faultReported = true;
    this._diag.error('pg metrics fault; queries keep running, some go unrecorded', fault);
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
