// Prepared attribute sets for the client duration histogram, as the server path prepares its own
// (../http-server/server-attribute-sets.ts): one frozen object per distinct combination, reused for
// every later request, which is what lets record() skip the SDK's attribute hash. Two levels, so a
// request looks its target up once when it starts and its outcome once when it ends: a target is a
// method, scheme, server address and port; an outcome is a status code or an error type, with the
// protocol version. Both levels are bounded: past the bound a set is built per request and left to
// the SDK's cardinality guard, so memory stays flat whatever hosts the app calls.
import type { Attributes } from '@opentelemetry/api';
import {
  ERROR_TYPE,
  HTTP_REQUEST_METHOD,
  HTTP_RESPONSE_STATUS_CODE,
  NETWORK_PROTOCOL_VERSION,
  SERVER_ADDRESS,
  SERVER_PORT,
  URL_SCHEME,
} from '@va/semconv';
import type { ServerTarget } from './server-target.js';

const MAX_TARGETS = 4096;
/** Status codes and error types a single target answers with; a few dozen in practice. */
const MAX_OUTCOMES_PER_TARGET = 256;

/** The outcomes of one method sent to one server. */
export class TargetAttributeSets {
  private readonly _outcomes = new Map<string, Attributes>();

  constructor(private readonly _base: Readonly<Attributes>) {}

  /**
   * Response headers arrived. On the client side a 4xx is a failure as much as a 5xx, so both carry
   * the status code as error.type (https://opentelemetry.io/docs/specs/semconv/http/http-spans/#status).
   */
  response(statusCode: number, protocolVersion: string | undefined): Attributes {
    // The version comes first and holds no space, so the keys of the two outcomes never collide.
    const key = `${protocolVersion ?? ''} ${statusCode}`;
    return (
      this._outcomes.get(key) ?? this._remember(key, responseSet(this._base, statusCode, protocolVersion))
    );
  }

  /** The request failed before its response headers arrived. */
  failure(errorType: string, protocolVersion: string | undefined): Attributes {
    const key = `${protocolVersion ?? ''} !${errorType}`;
    return this._outcomes.get(key) ?? this._remember(key, failureSet(this._base, errorType, protocolVersion));
  }

  private _remember(key: string, attributes: Attributes): Attributes {
    if (this._outcomes.size < MAX_OUTCOMES_PER_TARGET) this._outcomes.set(key, attributes);
    return attributes;
  }
}

export class ClientAttributeSets {
  private readonly _targets = new Map<string, TargetAttributeSets>();

  /** `method` is already normalised (normalizeMethod). */
  forTarget(method: string, target: ServerTarget): TargetAttributeSets {
    // Every field but the address is free of spaces and the address comes last: no escaping needed.
    const key = `${method} ${target.scheme} ${target.port ?? ''} ${target.address}`;
    let sets = this._targets.get(key);
    if (sets === undefined) {
      const base: Attributes = {
        [HTTP_REQUEST_METHOD.key]: method,
        [SERVER_ADDRESS.key]: target.address,
        [URL_SCHEME.key]: target.scheme,
      };
      if (target.port !== undefined) base[SERVER_PORT.key] = target.port;
      sets = new TargetAttributeSets(Object.freeze(base));
      if (this._targets.size < MAX_TARGETS) this._targets.set(key, sets);
    }
    return sets;
  }
}

function responseSet(
  base: Readonly<Attributes>,
  statusCode: number,
  version: string | undefined,
): Attributes {
  const attributes: Attributes = { ...base, [HTTP_RESPONSE_STATUS_CODE.key]: statusCode };
  if (statusCode >= 400) attributes[ERROR_TYPE.key] = String(statusCode);
  if (version !== undefined) attributes[NETWORK_PROTOCOL_VERSION.key] = version;
  return Object.freeze(attributes);
}

function failureSet(base: Readonly<Attributes>, errorType: string, version: string | undefined): Attributes {
  const attributes: Attributes = { ...base, [ERROR_TYPE.key]: errorType };
  if (version !== undefined) attributes[NETWORK_PROTOCOL_VERSION.key] = version;
  return Object.freeze(attributes);
}
