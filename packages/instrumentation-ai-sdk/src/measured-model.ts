import type { ClientSettings } from '@va/instrumentation-genai';
import { MODEL_METHODS, type ModelMethod, measuredModelCall } from './model-call.js';

type AnyFunction = (...args: unknown[]) => unknown;

/** Answered `true` by every measuring view, whichever copy of this package made it (CommonJS or ESM). */
const MEASURED = Symbol.for('@va/instrumentation-ai-sdk.measured-model');

/** Whether `model` is a measuring view already (explicitly wrapped, or by a patched entry function). */
export function isMeasuredModel(model: unknown): boolean {
  return (
    model !== null && typeof model === 'object' && (model as { [MEASURED]?: unknown })[MEASURED] === true
  );
}

/** Whether `model` is an AI SDK model object (a language or embedding model of any specification). */
export function isModel(model: unknown): model is object {
  if (model === null || typeof model !== 'object') return false;
  const methods = model as Record<ModelMethod, unknown>;
  return (
    typeof methods.doGenerate === 'function' ||
    typeof methods.doStream === 'function' ||
    typeof methods.doEmbed === 'function'
  );
}

function isModelMethod(key: PropertyKey): key is ModelMethod {
  return typeof key === 'string' && Object.hasOwn(MODEL_METHODS, key);
}

/**
 * A view of an AI SDK model that measures each `doGenerate`, `doStream` and `doEmbed` call. Everything
 * else (`provider`, `modelId`, `specificationVersion`, `supportedUrls` …) reads from the model itself,
 * and the methods run on it: the view adds nothing to it and changes nothing of it.
 */
export function measuringView<T extends object>(model: T, settings: ClientSettings): T {
  // One wrapper per method for as long as the model keeps the same one: the AI SDK reads a method at
  // each step.
  const wrappers = new Map<ModelMethod, { readonly original: unknown; readonly wrapper: AnyFunction }>();
  return new Proxy(model, {
    get(target, key) {
      if (key === MEASURED) return true;
      const value = Reflect.get(target, key, target);
      if (!isModelMethod(key) || typeof value !== 'function') return value;
      const known = wrappers.get(key);
      if (known?.original === value) return known.wrapper;
      const wrapper = (...args: unknown[]) =>
        measuredModelCall(target as Record<string, unknown>, key, value as AnyFunction, args, settings);
      wrappers.set(key, { original: value, wrapper });
      return wrapper;
    },
  });
}
