// Prepared attribute sets for the server path: one frozen object per distinct combination, built
// the first time it is seen and reused for every later request. Reusing the same frozen object is
// what lets record() skip the SDK's attribute hash (see @va/otel-sdk hot-path/). The cache is
// bounded: past MAX_CACHED sets (a router that names raw paths, an attack with random methods is
// already folded into `_OTHER`) new sets are built per request and left to the SDK's cardinality
// guard, so memory stays flat.
import type { Attributes } from '@opentelemetry/api';
import {
  ERROR_TYPE,
  HTTP_REQUEST_METHOD,
  HTTP_RESPONSE_STATUS_CODE,
  HTTP_ROUTE,
  NETWORK_PROTOCOL_VERSION,
  URL_SCHEME,
} from '@va/semconv';

const MAX_CACHED = 4096;
const KNOWN_METHODS: ReadonlySet<string> = new Set(HTTP_REQUEST_METHOD.values);

/** The method as the conventions want it: one of the known ones, else `_OTHER` (bounded cardinality). */
export function normalizeMethod(method: string | undefined): string {
  return method !== undefined && KNOWN_METHODS.has(method) ? method : '_OTHER';
}

export interface ResponseFacts {
  method: string;
  scheme: 'http' | 'https';
  protocolVersion: string;
  /** Undefined when no status line was sent (the client went away first). */
  statusCode: number | undefined;
  route: string | undefined;
  /** `aborted` when the response never finished; the status code for 5xx. */
  errorType: string | undefined;
}

export class ServerAttributeSets {
  private readonly _durationSets = new Map<string, Attributes>();
  private readonly _activeSets = new Map<string, Attributes>();

  /** `http.server.active_requests`: method and scheme only. */
  active(method: string, scheme: string): Attributes {
    const key = `${method} ${scheme}`;
    let attributes = this._activeSets.get(key);
    if (attributes === undefined) {
      attributes = Object.freeze({ [HTTP_REQUEST_METHOD.key]: method, [URL_SCHEME.key]: scheme });
      if (this._activeSets.size < MAX_CACHED) this._activeSets.set(key, attributes);
    }
    return attributes;
  }

  /** The server request duration histogram (HTTP_SERVER_REQUEST_DURATION). */
  duration(facts: ResponseFacts): Attributes {
    // The fields before the route hold no spaces and the route comes last, marked so that no route
    // and the route '' differ: the key is unambiguous without escaping.
    const route = facts.route === undefined ? '' : `=${facts.route}`;
    const key = `${facts.statusCode} ${facts.method} ${facts.scheme} ${facts.protocolVersion} ${facts.errorType} ${route}`;
    let attributes = this._durationSets.get(key);
    if (attributes === undefined) {
      attributes = Object.freeze(build(facts));
      if (this._durationSets.size < MAX_CACHED) this._durationSets.set(key, attributes);
    }
    return attributes;
  }
}

function build(facts: ResponseFacts): Attributes {
  const attributes: Attributes = {
    [HTTP_REQUEST_METHOD.key]: facts.method,
    [URL_SCHEME.key]: facts.scheme,
    [NETWORK_PROTOCOL_VERSION.key]: facts.protocolVersion,
  };
  if (facts.statusCode !== undefined) attributes[HTTP_RESPONSE_STATUS_CODE.key] = facts.statusCode;
  if (facts.route !== undefined) attributes[HTTP_ROUTE.key] = facts.route;
  if (facts.errorType !== undefined) attributes[ERROR_TYPE.key] = facts.errorType;
  return attributes;
}
