// Where `http.route` comes from on our server path, without a context manager and without wrapping
// every middleware layer the way the upstream framework instrumentations do:
// - setHttpRoute(request, template): any framework, or a hand-written router, says it once;
// - Express 4 and 5 assign the matched route to `req.route` (under `req.baseUrl` for mounted
//   routers); express-routes.ts captures it at that moment;
// - Fastify ≥ 5 publishes each handler call on the `tracing:fastify.request.handler` channel with
//   the route options, before the handler runs.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { templateOf } from './express-routes.js';

/** Shared by the CommonJS and ES module copies, so a route set through either one is seen. */
const ROUTE = Symbol.for('@va/otel-register.http.route');
/**
 * The server path's record of a request in flight (http-server-metrics.ts), put on the request when
 * it starts. A route goes there when it exists: writing to our own small object is cheaper than
 * adding a property to a framework's request object, which is often in dictionary mode by then.
 */
export const IN_FLIGHT = Symbol.for('@va/otel-register.http.in-flight');

export interface RouteHolder {
  route: string | undefined;
  /** Express's own `req.route` value, kept here by express-routes.ts for the same reason. */
  expressRoute: unknown;
}

type RoutedRequest = IncomingMessage & {
  [ROUTE]?: string;
  [IN_FLIGHT]?: RouteHolder;
  route?: { path?: unknown };
  baseUrl?: unknown;
};

/**
 * Names the route template of a request (`/users/:id`, never the raw path) for the
 * server request duration histogram. Call it from any router or middleware before the response
 * ends; the last call wins. Does nothing when `request` is not an incoming request object.
 */
export function setHttpRoute(request: IncomingMessage, route: string): void {
  if (typeof request !== 'object' || request === null || typeof route !== 'string') return;
  const inFlight = (request as RoutedRequest)[IN_FLIGHT];
  if (inFlight !== undefined) inFlight.route = route;
  else (request as RoutedRequest)[ROUTE] = route;
}

/** The route template of a finished request, or undefined when no router named one. */
export function routeOf(request: IncomingMessage, readExpressRoute: boolean): string | undefined {
  const routed = request as RoutedRequest;
  const explicit = routed[IN_FLIGHT]?.route ?? routed[ROUTE];
  if (explicit !== undefined) return explicit;
  if (readExpressRoute) return expressRoute(routed);
  return undefined;
}

/**
 * The fallback when Express was loaded before we could observe it (express-routes.ts): right for
 * every response sent from inside the route, off by the mount path for an error passed out of a
 * mounted router.
 */
function expressRoute(request: RoutedRequest): string | undefined {
  const template = templateOf(request.route?.path);
  if (template === undefined) return undefined;
  return (typeof request.baseUrl === 'string' ? request.baseUrl : '') + template;
}

const FASTIFY_HANDLER_START = 'tracing:fastify.request.handler:start';

interface FastifyHandlerMessage {
  request?: { raw?: IncomingMessage; routeOptions?: { url?: unknown } };
}

/** Copies Fastify's route template onto the raw request. Returns the unsubscribe function. */
export function readFastifyRoutes(): () => void {
  const onHandlerStart = (message: unknown): void => {
    try {
      const { request } = message as FastifyHandlerMessage;
      const url = request?.routeOptions?.url;
      if (request?.raw !== undefined && typeof url === 'string') setHttpRoute(request.raw, url);
    } catch {
      // Never let a surprising message reach Fastify's request handling.
    }
  };
  subscribe(FASTIFY_HANDLER_START, onHandlerStart);
  return () => unsubscribe(FASTIFY_HANDLER_START, onHandlerStart);
}
