import { createStainlessClientProxy, isInstrumentedClient } from '@va/instrumentation-genai';
import { instrumentedCall } from './instrumented-call.js';
import { operationAt } from './operations.js';
import { type OpenAIInstrumentationOptions, resolveSettings, type Settings } from './options.js';
import { isRealtimeConnection, listenToConnection } from './realtime/openai-connection.js';
import { reportFault } from './report-fault.js';

type AnyFunction = (...args: unknown[]) => unknown;

function instrumentedView<T extends object>(client: T, settings: Settings): T {
  return createStainlessClientProxy(client, (resourcePath, key, original, target) => {
    if (key !== 'create') return undefined;
    const operation = operationAt(resourcePath);
    if (operation === undefined) return undefined;
    return function create(this: unknown, ...args: unknown[]) {
      return instrumentedCall(settings, operation, target, original as AnyFunction, args);
    };
  });
}

/**
 * Returns an instrumented view of an `openai` client (majors 4 to 7, `OpenAI` or `AzureOpenAI`).
 * It is the same client to its caller: `instanceof` holds, every method returns what it returned
 * and throws what it threw. Calls made through it are measured; the original object is untouched.
 * A client already instrumented is returned as is.
 *
 * A Realtime connection (`OpenAIRealtimeWS` / `OpenAIRealtimeWebSocket`, GA or beta) is measured in
 * place and returned itself: its events are the socket's, so no view could see them. It gains one
 * `event` listener, and its socket one `close` listener.
 */
export function instrumentOpenAI<T extends object>(client: T, options?: OpenAIInstrumentationOptions): T {
  if (client === null || typeof client !== 'object' || isInstrumentedClient(client)) return client;
  if (isRealtimeConnection(client)) {
    try {
      listenToConnection(client, resolveSettings(options));
    } catch (error) {
      reportFault('instrumenting a Realtime connection', error);
    }
    return client;
  }
  try {
    return instrumentedView(client, resolveSettings(options));
  } catch (error) {
    reportFault('instrumenting a client', error);
    return client;
  }
}
