import { type ModulePatch, unwrapMethod, wrapMethod } from '@va/instrumentation-base';
import {
  clientSettingsOf,
  GenAIClientInstrumentation,
  type GenAIInstrumentationConfig,
} from '@va/instrumentation-genai';
import { instrumentedCall } from './instrumented-call.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';

export type AnthropicInstrumentationConfig = GenAIInstrumentationConfig;

type AnyFunction = (...args: unknown[]) => unknown;

/** Where the measured `Messages` classes sit on the exported `Anthropic` class (0.39 to 1.x alike). */
const CLASS_PATHS: readonly (readonly string[])[] = [['Messages'], ['Beta', 'Messages']];

/** The `Anthropic` class of a loaded `@anthropic-ai/sdk`, CommonJS exports or an ESM namespace. */
function anthropicClassOf(moduleExports: unknown): unknown {
  const exports = moduleExports as { Anthropic?: unknown; default?: { Anthropic?: unknown } | unknown };
  const candidate =
    exports?.Anthropic ??
    (exports?.default as { Anthropic?: unknown } | undefined)?.Anthropic ??
    exports?.default;
  return typeof candidate === 'function' ? candidate : undefined;
}

/** The prototypes whose `create` the patch wraps. */
function messagesPrototypes(moduleExports: unknown): object[] {
  const anthropicClass = anthropicClassOf(moduleExports);
  if (anthropicClass === undefined) return [];
  const prototypes: object[] = [];
  for (const classPath of CLASS_PATHS) {
    let current: unknown = anthropicClass;
    for (const key of classPath) current = (current as Record<string, unknown> | undefined)?.[key];
    const prototype = (current as { prototype?: { create?: unknown } } | undefined)?.prototype;
    if (prototype !== undefined && prototype !== null && typeof prototype.create === 'function')
      prototypes.push(prototype);
  }
  return prototypes;
}

/**
 * Patches `@anthropic-ai/sdk` (0.39 and later, 1.x) when it is loaded, for `--require` / `--import` of
 * the register or any OpenTelemetry SDK's `registerInstrumentations`. Every client of the patched module
 * is measured, helpers included (`messages.stream()`, `messages.parse()`, the beta ones), since they all
 * end in the patched `create` methods.
 */
export class AnthropicInstrumentation extends GenAIClientInstrumentation<AnthropicInstrumentationConfig> {
  constructor(config: AnthropicInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config, (options) => clientSettingsOf(options));
  }

  protected override modulePatches(): readonly ModulePatch[] {
    return [
      {
        module: '@anthropic-ai/sdk',
        versions: { minimum: '0.39.0', below: '2' },
        patch: (moduleExports) => this._patch(moduleExports),
        unpatch: (moduleExports) => {
          for (const prototype of messagesPrototypes(moduleExports)) unwrapMethod(prototype, 'create');
        },
      },
    ];
  }

  private _patch(moduleExports: unknown): void {
    const prototypes = messagesPrototypes(moduleExports);
    if (prototypes.length === 0) {
      this.diag.debug('@anthropic-ai/sdk loaded without an Anthropic class; nothing patched');
      return;
    }
    const instrumentation = this;
    for (const prototype of prototypes) {
      wrapMethod(
        prototype,
        'create',
        (original) =>
          function create(this: unknown, ...args: unknown[]) {
            return instrumentedCall(instrumentation.settings, this, original as AnyFunction, args);
          },
      );
    }
  }
}
