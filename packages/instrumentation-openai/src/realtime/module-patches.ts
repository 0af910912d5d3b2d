import { type ModulePatch, unwrapMethod, wrapMethod } from '@va/instrumentation-base';
import type { Settings } from '../options.js';
import { reportFault } from '../report-fault.js';
import { observerOf, type RealtimeConnection, type SocketObservers } from './openai-connection.js';

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

/**
 * The `openai` Realtime entry points and the class each exports. None is re-exported from `openai`
 * itself, so each is hooked by its own specifier: the GA classes (openai 5 to 7) and the beta ones
 * (openai 4's only Realtime client, still shipped by 5 and 6).
 */
const REALTIME_MODULES: ReadonlyArray<readonly [module: string, className: string]> = [
  ['openai/realtime/ws', 'OpenAIRealtimeWS'],
  ['openai/realtime/websocket', 'OpenAIRealtimeWebSocket'],
  ['openai/beta/realtime/ws', 'OpenAIRealtimeWS'],
  ['openai/beta/realtime/websocket', 'OpenAIRealtimeWebSocket'],
];

function prototypeOf(moduleExports: unknown, className: string): Record<string, unknown> | undefined {
  const exports = moduleExports as Record<string, unknown> | undefined;
  const candidate =
    exports?.[className] ?? (exports?.default as Record<string, unknown> | undefined)?.[className];
  const prototype =
    typeof candidate === 'function' ? (candidate as { prototype?: unknown }).prototype : undefined;
  return prototype !== null && typeof prototype === 'object'
    ? (prototype as Record<string, unknown>)
    : undefined;
}

/**
 * Every connection of these classes emits each parsed server event as `_emit('event', event)` before
 * anything else sees it (the app's `on('event')` and per-type listeners, the `error` handling): wrapping
 * `_emit` observes that very object, with no second parse and nothing added to the socket but a `close`
 * listener. The event then goes on exactly as before; sends are not touched.
 */
export function openAIRealtimePatches(settings: () => Settings): ModulePatch[] {
  const observers: SocketObservers = new WeakMap();
  return REALTIME_MODULES.map(([module, className]) => ({
    module,
    versions: { minimum: '4.0.0', below: '8' },
    patch(moduleExports: unknown) {
      const prototype = prototypeOf(moduleExports, className);
      if (prototype === undefined || typeof prototype._emit !== 'function') return;
      wrapMethod(
        prototype,
        '_emit',
        (original) =>
          function _emit(this: unknown, ...args: unknown[]) {
            if (args[0] === 'event') {
              try {
                observerOf(this as RealtimeConnection, settings(), observers)?.serverEvent(args[1]);
              } catch (error) {
                reportFault('observing a Realtime event', error);
              }
            }
            return Reflect.apply(original as AnyFunction, this, args);
          },
      );
    },
    unpatch(moduleExports: unknown) {
      const prototype = prototypeOf(moduleExports, className);
      if (prototype !== undefined) unwrapMethod(prototype, '_emit');
    },
  }));
}
