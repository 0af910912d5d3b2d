import { type ClientSettings, clientSettingsOf } from '@va/instrumentation-genai';
import { instrumentedCall, isMeasuredMethod } from './instrumented-call.js';
import type { GoogleGenAIInstrumentationOptions } from './options.js';
import { reportFault } from './report-fault.js';

type AnyFunction = (...args: unknown[]) => unknown;

/** The views this package made: instrumenting one again returns it as is. */
const views = new WeakSet<object>();

/** A view of a `Models` instance whose measured methods are measured; the rest pass through. */
function modelsView(models: object, settings: ClientSettings): object {
  const wrappers = new Map<PropertyKey, { original: unknown; wrapper: AnyFunction }>();
  return new Proxy(models, {
    get(target, key) {
      const value = Reflect.get(target, key, target);
      if (typeof value !== 'function' || !isMeasuredMethod(key)) return value;
      const known = wrappers.get(key);
      if (known !== undefined && known.original === value) return known.wrapper;
      const wrapper = function (this: unknown, ...args: unknown[]) {
        return instrumentedCall(settings, target, key, value as AnyFunction, args);
      };
      Object.defineProperty(wrapper, 'name', { value: (value as AnyFunction).name, configurable: true });
      wrappers.set(key, { original: value, wrapper });
      return wrapper;
    },
  });
}

/**
 * Returns an instrumented view of a `@google/genai` client (`GoogleGenAI`, majors 1 to 3, Gemini API
 * or Vertex AI). It is the same client to its caller: `instanceof` holds, every method returns what it
 * returned and throws what it threw. `models.generateContent`, `models.generateContentStream` and
 * `models.embedContent` called through it are measured; `client.chats` keeps the client's own `Models`
 * and is measured only under the register (`GoogleGenAIInstrumentation`). The original object is
 * untouched; a view already instrumented is returned as is.
 */
export function instrumentGoogleGenAI<T extends object>(
  client: T,
  options?: GoogleGenAIInstrumentationOptions,
): T {
  if (client === null || typeof client !== 'object' || views.has(client)) return client;
  try {
    const settings = clientSettingsOf(options);
    const byModels = new WeakMap<object, object>();
    const view = new Proxy(client, {
      get(target, key) {
        const value = Reflect.get(target, key, target);
        if (key !== 'models' || value === null || typeof value !== 'object') return value;
        let models = byModels.get(value);
        if (models === undefined) {
          models = modelsView(value, settings);
          byModels.set(value, models);
        }
        return models;
      },
    });
    views.add(view);
    return view;
  } catch (error) {
    reportFault('instrumenting a client', error);
    return client;
  }
}
