import type { Attributes } from '@opentelemetry/api';
import {
  DB_NAMESPACE,
  DB_OPERATION_NAME,
  DB_SYSTEM_NAME,
  ERROR_TYPE,
  SERVER_ADDRESS,
  SERVER_PORT,
} from '@va/semconv';
import type { PgClient } from './internal-types.js';

const POSTGRESQL = 'postgresql';
/** The Map key for "no known operation"; no SQL keyword is empty. */
const NO_OPERATION = '';

/** The attribute sets of one operation on one database: success, and one per error type seen. */
export class OperationAttributes {
  readonly success: Attributes;
  private readonly _failures = new Map<string, Attributes>();

  constructor(base: Attributes) {
    this.success = Object.freeze(base);
  }

  failure(errorType: string): Attributes {
    let attributes = this._failures.get(errorType);
    if (attributes === undefined) {
      attributes = Object.freeze({ ...this.success, [ERROR_TYPE.key]: errorType });
      this._failures.set(errorType, attributes);
    }
    return attributes;
  }
}

/** Everything recorded against one database (host, port, name), by operation. */
export class ConnectionAttributes {
  private readonly _operations = new Map<string, OperationAttributes>();

  constructor(private readonly _base: Attributes) {}

  forOperation(operation: string | undefined): OperationAttributes {
    const key = operation ?? NO_OPERATION;
    let attributes = this._operations.get(key);
    if (attributes === undefined) {
      attributes = new OperationAttributes(
        operation === undefined ? { ...this._base } : { ...this._base, [DB_OPERATION_NAME.key]: operation },
      );
      this._operations.set(key, attributes);
    }
    return attributes;
  }
}

/**
 * Interned attribute objects for the operation duration histogram, so that recording a query
 * allocates no attribute object: a client maps (weakly) to its database's entry, which holds one
 * frozen object per operation and error type. Every level is bounded: databases by the
 * application's configuration, operations by the closed keyword list, error types by SQLSTATE
 * codes and error class names.
 */
export class QueryAttributeCache {
  private readonly _byClient = new WeakMap<object, ConnectionAttributes>();
  private readonly _byDatabase = new Map<string, ConnectionAttributes>();

  forClient(client: PgClient): ConnectionAttributes {
    let attributes = this._byClient.get(client);
    if (attributes === undefined) {
      attributes = this._forParameters(client);
      this._byClient.set(client, attributes);
    }
    return attributes;
  }

  private _forParameters(client: PgClient): ConnectionAttributes {
    const { host, port, database } = client.connectionParameters ?? {};
    const key = `${String(host)}\u0000${String(port)}\u0000${String(database)}`;
    let attributes = this._byDatabase.get(key);
    if (attributes === undefined) {
      const base: Attributes = { [DB_SYSTEM_NAME.key]: POSTGRESQL };
      if (typeof database === 'string') base[DB_NAMESPACE.key] = database;
      if (typeof host === 'string') base[SERVER_ADDRESS.key] = host;
      if (typeof port === 'number' && Number.isFinite(port)) base[SERVER_PORT.key] = port;
      attributes = new ConnectionAttributes(base);
      this._byDatabase.set(key, attributes);
    }
    return attributes;
  }
}
