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
 * A view of a `Chats` whose chats call the measured view of its `Models`: `Chats.create` hands its own
 * `modelsModule` to every `Chat`, which sends each message through it.
 */
function chatsView(chats: object, modelsOf: (models: object) => object): object {
  return new Proxy(chats, {
    get(target, key) {
      const value = Reflect.get(target, key, target);
      return key === 'modelsModule' && value !== null && typeof value === 'object' ? modelsOf(value) : value;
    },
  });
}

/**
 * Returns an instrumented view of a `@google/genai` client (`GoogleGenAI`, majors 1 to 3, Gemini API
 * or Vertex AI). It is the same client to its caller: `instanceof` holds, every method returns what it
 * returned and throws what it threw. `models.generateContent`, `models.generateContentStream` and
 * `models.embedContent` called through it are measured, and so are the messages of the chats it
 * creates (`chats.create()`), which call them. The original object is untouched; a view already
 * instrumented is returned as is.
 */
export function instrumentGoogleGenAI<T extends object>(
  client: T,
  options?: GoogleGenAIInstrumentationOptions,
): T {
  if (client === null || typeof client !== 'object' || views.has(client)) return client;
  try {
    const settings = clientSettingsOf(options);
    const byTarget = new WeakMap<object, object>();
    const viewOf = (target: object, make: (target: object) => object): object => {
      let view = byTarget.get(target);
      if (view === undefined) {
        view = make(target);
        byTarget.set(target, view);
      }
      return view;
    };
    const modelsOf = (models: object) => viewOf(models, (target) => modelsView(target, settings));
    const view = new Proxy(client, {
      get(target, key) {
        const value = Reflect.get(target, key, target);
        if (value === null || typeof value !== 'object') return value;
        if (key === 'models') return modelsOf(value);
        if (key === 'chats') return viewOf(value, (chats) => chatsView(chats, modelsOf));
        return value;
      },
    });
    views.add(view);
    return view;
  } catch (error) {
    reportFault('instrumenting a client', error);
    return client;
  }
}
