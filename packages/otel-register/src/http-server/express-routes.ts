// `http.route` for Express without wrapping its layers. Express 4 and 5 assign `req.route` when a
// route starts handling a request, and `req.baseUrl` is the mount path at that moment. Read later,
// when the response closes, `baseUrl` may already be restored (an error passed to next() leaves the
// mounted router first), so the template is captured when `route` is assigned: an accessor on
// Express's request prototype turns that assignment into a setHttpRoute() call. Cost: one string
// concatenation per route dispatch, nothing per middleware.
import { MetricsInstrumentation, type ModulePatch } from '@va/instrumentation-base';
import { IN_FLIGHT, type RouteHolder, setHttpRoute } from './http-route.js';

const INSTRUMENTATION_NAME = '@va/otel-register/express-routes';

import { PACKAGE_VERSION as INSTRUMENTATION_VERSION } from '../version.js';

const SUPPORTED_VERSIONS = { minimum: '4.0.0', below: '6' };

const ROUTE_VALUE = Symbol('@va/otel-register.express.route');

interface ExpressRequest {
  baseUrl?: unknown;
  [ROUTE_VALUE]?: unknown;
  [IN_FLIGHT]?: RouteHolder;
}

export function templateOf(path: unknown): string | undefined {
  if (typeof path === 'string') return path;
  // A route may be declared with a RegExp or an array of paths; their source text is still a template.
  if (Array.isArray(path)) return path.map(String).join('|');
  if (path instanceof RegExp) return String(path);
  return undefined;
}

function requestPrototypeOf(moduleExports: unknown): object | undefined {
  const express = moduleExports as { request?: unknown; default?: { request?: unknown } };
  const request = express.request ?? express.default?.request;
  return typeof request === 'object' && request !== null ? request : undefined;
}

export class ExpressRouteInstrumentation extends MetricsInstrumentation {
  constructor() {
    super(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION);
  }

  /** It records nothing itself: the HTTP server metrics read the route it sets. */
  protected override createInstruments(): void {}

  protected override modulePatches(): readonly ModulePatch[] {
    return [
      {
        module: 'express',
        versions: SUPPORTED_VERSIONS,
        patch: (moduleExports) => this._defineRouteAccessor(requestPrototypeOf(moduleExports)),
        unpatch: (moduleExports) => {
          const prototype = requestPrototypeOf(moduleExports);
          if (prototype !== undefined && Object.hasOwn(prototype, 'route')) {
            delete (prototype as { route?: unknown }).route;
          }
        },
      },
    ];
  }

  private _defineRouteAccessor(prototype: object | undefined): void {
    if (prototype === undefined || Object.hasOwn(prototype, 'route')) return;
    try {
      Object.defineProperty(prototype, 'route', {
        configurable: true,
        enumerable: true,
        // Kept in our in-flight record when there is one: adding a property to Express's request
        // object (in dictionary mode by then) costs more than the whole rest of this setter.
        get(this: ExpressRequest) {
          const inFlight = this[IN_FLIGHT];
          return inFlight !== undefined ? inFlight.expressRoute : this[ROUTE_VALUE];
        },
        set(this: ExpressRequest, route: { path?: unknown } | undefined) {
          const inFlight = this[IN_FLIGHT];
          if (inFlight !== undefined) inFlight.expressRoute = route;
          else this[ROUTE_VALUE] = route;
          try {
            const template = templateOf(route?.path);
            if (template === undefined) return;
            const base = typeof this.baseUrl === 'string' ? this.baseUrl : '';
            setHttpRoute(this as never, base + template);
          } catch {
            // Express's routing must go on whatever we fail at.
          }
        },
      });
    } catch (error) {
      this.diag.debug('could not observe Express routes', error);
    }
  }
}
