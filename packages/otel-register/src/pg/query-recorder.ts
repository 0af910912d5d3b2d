import type { Histogram } from '@opentelemetry/api';
import { errorTypeOf } from './error-type.js';
import type { PgClient } from './internal-types.js';
import type { QuerySettlement } from './observing-callback.js';
import { operationNameOf } from './operation-name.js';
import { type OperationAttributes, QueryAttributeCache } from './query-attributes.js';

/** Logs a fault in our own code; the instrumentation decides how often. */
export type FaultReporter = (error: unknown) => void;

/**
 * Records the query duration histogram (DB_CLIENT_OPERATION_DURATION). `begin()` is called as a query is handed to pg, and the
 * observation it returns is finished exactly once, however many completion signals arrive (a
 * callback and an `end` event, a synchronous throw and a late callback).
 */
export class QueryRecorder {
  /** Replaced when the instrumentation gets a new MeterProvider. */
  histogram: Histogram | undefined;
  private readonly _attributes = new QueryAttributeCache();

  constructor(readonly reportFault: FaultReporter) {}

  /** Never throws: on a fault it reports and returns undefined, and the query runs unobserved. */
  begin(client: PgClient, config: unknown): QueryObservation | undefined {
    try {
      const text = textOf(config);
      const operation = text === undefined ? undefined : operationNameOf(text);
      return new QueryObservation(this, this._attributes.forClient(client).forOperation(operation));
    } catch (error) {
      this.reportFault(error);
      return undefined;
    }
  }

  /**
   * A pool.query() that got no connection, so never reached the client's query; `started` is when
   * pool.query() asked for the connection. Never throws.
   */
  recordConnectFailure(client: PgClient, config: unknown, started: number, error: unknown): void {
    try {
      const text = textOf(config);
      const operation = text === undefined ? undefined : operationNameOf(text);
      const attributes = this._attributes.forClient(client).forOperation(operation);
      this.histogram?.record((performance.now() - started) / 1000, attributes.failure(errorTypeOf(error)));
    } catch (fault) {
      this.reportFault(fault);
    }
  }
}

export class QueryObservation implements QuerySettlement {
  private readonly _start = performance.now();
  private _finished = false;

  constructor(
    private readonly _recorder: QueryRecorder,
    private readonly _attributes: OperationAttributes,
  ) {}

  succeed(): void {
    if (this._finished) return;
    this._finished = true;
    this._record(undefined, false);
  }

  fail(error: unknown): void {
    if (this._finished) return;
    this._finished = true;
    this._record(error, true);
  }

  /** pg's callback convention: a truthy first argument is the error. */
  settle(error: unknown): void {
    if (error) this.fail(error);
    else this.succeed();
  }

  /** Nothing will be recorded for this query (we could not observe its end). */
  abandon(): void {
    this._finished = true;
  }

  private _record(error: unknown, failed: boolean): void {
    // Called from pg's completion path: a fault here must not reach the application's callback.
    try {
      const seconds = (performance.now() - this._start) / 1000;
      const attributes = failed ? this._attributes.failure(errorTypeOf(error)) : this._attributes.success;
      this._recorder.histogram?.record(seconds, attributes);
    } catch (fault) {
      this._recorder.reportFault(fault);
    }
  }
}

/** The statement of a query: a string, `config.text`, or a pg-query-stream's pg-cursor `text`. */
function textOf(config: unknown): string | undefined {
  if (typeof config === 'string') return config;
  if (typeof config !== 'object' || config === null) return undefined;
  const { text, cursor } = config as { text?: unknown; cursor?: { text?: unknown } };
  if (typeof text === 'string') return text;
  const cursorText = typeof cursor === 'object' && cursor !== null ? cursor.text : undefined;
  return typeof cursorText === 'string' ? cursorText : undefined;
}
