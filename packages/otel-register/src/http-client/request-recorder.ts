// One point per outgoing request, whichever client sent it: recorded when the response headers
// arrive (with the status code) or when the request fails before that (with error.type), never
// twice, timed from the request's start. This is the contract HTTP_CLIENT_REQUEST_DURATION states
// in @va/semconv. Upstream records later, once the body has been read (instrumentation-http: the
// response's `end`, else the request's `close`; instrumentation-undici: the trailers), so its
// figure includes the body's transfer, and a body the app never reads delays or loses its point;
// here that request is counted at its headers, once.
//
// What is in flight lives in a WeakMap keyed by the client's own request object: nothing is written
// onto the app's objects, and a request that ends in neither (an HTTP upgrade, for which Node
// publishes no response) takes its entry with it when it is collected.
import { performance } from 'node:perf_hooks';
import type { Histogram } from '@opentelemetry/api';
import { normalizeMethod } from '../http-server/server-attribute-sets.js';
import { ClientAttributeSets, type TargetAttributeSets } from './client-attribute-sets.js';
import { errorTypeOf } from './error-type.js';
import type { ServerTarget } from './server-target.js';

interface InFlight {
  readonly startedAt: number;
  readonly sets: TargetAttributeSets;
  /** Known before the response on a connection that negotiated it (undici: from ALPN). */
  protocolVersion: string | undefined;
}

export class ClientRequestRecorder {
  private readonly _inFlight = new WeakMap<object, InFlight>();
  private readonly _sets = new ClientAttributeSets();

  constructor(private readonly _histogram: Histogram) {}

  start(request: object, method: string | undefined, target: ServerTarget): void {
    this._inFlight.set(request, {
      startedAt: performance.now(),
      sets: this._sets.forTarget(normalizeMethod(method), target),
      protocolVersion: undefined,
    });
  }

  protocolVersion(request: object, version: string): void {
    const inFlight = this._inFlight.get(request);
    if (inFlight !== undefined) inFlight.protocolVersion = version;
  }

  /** Response headers arrived. `protocolVersion` overrides one learnt earlier. */
  respond(request: object, statusCode: number, protocolVersion?: string): void {
    // A 1xx other than 101 is an interim response (100 Continue, 103 Early Hints): the request goes on.
    if (statusCode >= 100 && statusCode < 200 && statusCode !== 101) return;
    const inFlight = this._take(request);
    if (inFlight === undefined) return;
    const seconds = (performance.now() - inFlight.startedAt) / 1000;
    this._histogram.record(
      seconds,
      inFlight.sets.response(statusCode, protocolVersion ?? inFlight.protocolVersion),
    );
  }

  /** The request failed; ignored when its response headers were already recorded. */
  fail(request: object, error: unknown): void {
    const inFlight = this._take(request);
    if (inFlight === undefined) return;
    const seconds = (performance.now() - inFlight.startedAt) / 1000;
    this._histogram.record(seconds, inFlight.sets.failure(errorTypeOf(error), inFlight.protocolVersion));
  }

  /** Removed before recording, so a record() that throws cannot make the request count twice. */
  private _take(request: object): InFlight | undefined {
    const inFlight = this._inFlight.get(request);
    if (inFlight !== undefined) this._inFlight.delete(request);
    return inFlight;
  }
}
