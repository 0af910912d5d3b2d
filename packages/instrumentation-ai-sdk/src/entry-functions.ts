import type { ClientSettings } from '@va/instrumentation-genai';
import { isMeasuredModel, isModel, measuringView } from './measured-model.js';
import { reportFault } from './report-fault.js';

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

/** The `ai` functions that take a `model` in their one options object (majors 4 to 7). */
export const ENTRY_FUNCTIONS = [
  'generateText',
  'streamText',
  'generateObject',
  'streamObject',
  'embed',
  'embedMany',
] as const;

/**
 * Wraps an `ai` entry function so that it runs with a measuring view of its `model`, on a copy of the
 * caller's options: their object and their model are never changed. A model given by name (the AI
 * Gateway's strings), or already a view, goes through as given.
 */
export function withMeasuredModel(original: AnyFunction, settings: () => ClientSettings): AnyFunction {
  return function (this: unknown, ...args: unknown[]): unknown {
    const options = args[0] as { model?: unknown } | null | undefined;
    const model = options?.model;
    if (!isModel(model) || isMeasuredModel(model)) return Reflect.apply(original, this, args);
    let callArgs = args;
    try {
      callArgs = [{ ...options, model: measuringView(model, settings()) }, ...args.slice(1)];
    } catch (error) {
      reportFault('instrumenting a model', error);
    }
    return Reflect.apply(original, this, callArgs);
  };
}
