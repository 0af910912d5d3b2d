import { createRequire } from 'node:module';
import { MessagePort } from 'node:worker_threads';
import { Hook } from 'import-in-the-middle';

const PROBE = '@va/otel-register:probe-for-an-import-hook-channel';

/**
 * Whether this copy of import-in-the-middle already has a loader hook registered, by the
 * application's own OpenTelemetry setup (an ES module preload before ours):
 * - registered with a message channel (`createAddHookMessageChannel`, the documented way): a new
 *   Hook sends its module names down that channel, which we see go by (and let through: the loader
 *   acknowledges it, and an unknown name in its list costs nothing);
 * - registered to wrap every module (`--experimental-loader=@opentelemetry/instrumentation/hook.mjs`,
 *   or `register()` without options): the modules loaded since, this package's own among them, were
 *   wrapped, and the wrappers announced themselves to import-in-the-middle.
 * Either way our hooks work through the loader in place. (A copy of import-in-the-middle of its
 * own, as dd-trace may bring, keeps a loader of its own and does not count.)
 */
export function importHooksInPlace(): boolean {
  return channelInPlace() || wrappedModulesSeen();
}

function channelInPlace(): boolean {
  const original = MessagePort.prototype.postMessage;
  let seen = false;
  MessagePort.prototype.postMessage = function (this: MessagePort, message: unknown, ...rest: unknown[]) {
    if (Array.isArray(message) && message[0] === PROBE) seen = true;
    return Reflect.apply(original, this, [message, ...rest]);
  } as typeof original;
  try {
    new Hook([PROBE], () => undefined).unhook();
  } catch {
    // No loader to talk to: nothing in place.
  } finally {
    MessagePort.prototype.postMessage = original;
  }
  return seen;
}

function wrappedModulesSeen(): boolean {
  try {
    const registry = createRequire(import.meta.url)('import-in-the-middle/lib/register.js') as {
      specifiers?: Map<unknown, unknown>;
    };
    return (registry.specifiers?.size ?? 0) > 0;
  } catch {
    return false;
  }
}
