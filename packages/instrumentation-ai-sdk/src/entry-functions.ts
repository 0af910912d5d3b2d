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

/** The embedding functions: a model given by name is an embedding model of the global provider. */
const EMBEDDING_FUNCTIONS: ReadonlySet<string> = new Set(['embed', 'embedMany']);

type Provider = Record<string, ((modelId: string) => unknown) | undefined>;

/**
 * The model the AI SDK resolves a name to (`model: 'openai/gpt-4o'`, ai 5 and later): the global
 * provider's (`globalThis.AI_SDK_DEFAULT_PROVIDER`, else the module's `gateway`), resolved the way the
 * SDK does it, at call time; undefined where this `ai` resolves no names (ai 4) or anything fails.
 */
export function modelByName(
  aiExports: Record<string, unknown>,
  major: number,
  name: string,
): (id: string) => unknown {
  const method = !EMBEDDING_FUNCTIONS.has(name)
    ? 'languageModel'
    : major >= 6
      ? 'embeddingModel'
      : 'textEmbeddingModel';
  return (id) => {
    if (major < 5) return undefined;
    const provider = ((globalThis as { AI_SDK_DEFAULT_PROVIDER?: Provider }).AI_SDK_DEFAULT_PROVIDER ??
      aiExports.gateway) as Provider | undefined;
    const resolve = provider?.[method];
    return typeof resolve === 'function' ? Reflect.apply(resolve, provider, [id]) : undefined;
  };
}

/**
 * Wraps an `ai` entry function so that it runs with a measuring view of its `model`, on a copy of the
 * caller's options: their object and their model are never changed. A model given by name is resolved
 * first, as the SDK would (`byName`); one already a view goes through as given.
 */
export function withMeasuredModel(
  original: AnyFunction,
  settings: () => ClientSettings,
  byName: (id: string) => unknown,
): AnyFunction {
  return function (this: unknown, ...args: unknown[]): unknown {
    const options = args[0] as { model?: unknown } | null | undefined;
    const given = options?.model;
    if (isMeasuredModel(given) || (typeof given !== 'string' && !isModel(given)))
      return Reflect.apply(original, this, args);
    let callArgs = args;
    try {
      const model = typeof given === 'string' ? byName(given) : given;
      if (isModel(model))
        callArgs = [{ ...options, model: measuringView(model, settings()) }, ...args.slice(1)];
    } catch (error) {
      reportFault('instrumenting a model', error);
    }
    return Reflect.apply(original, this, callArgs);
  };
}
