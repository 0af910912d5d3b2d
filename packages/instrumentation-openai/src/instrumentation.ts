import { type ModulePatch, unwrapMethod, wrapMethod } from '@va/instrumentation-base';
import { GenAIClientInstrumentation, type GenAIInstrumentationConfig } from '@va/instrumentation-genai';
import { instrumentedCall } from './instrumented-call.js';
import { OPERATIONS } from './operations.js';
import { type OpenAIInstrumentationOptions, resolveSettings, type Settings } from './options.js';
import { agentsRealtimePatches } from './realtime/agents-transport.js';
import { openAIRealtimePatches } from './realtime/module-patches.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';

export type OpenAIInstrumentationConfig = GenAIInstrumentationConfig & OpenAIInstrumentationOptions;

type AnyFunction = (...args: unknown[]) => unknown;

/** The `OpenAI` class of a loaded `openai` module, CommonJS exports or an ESM namespace. */
function openAIClassOf(moduleExports: unknown): Record<string, unknown> | undefined {
  const exports = moduleExports as { OpenAI?: unknown; default?: { OpenAI?: unknown } | unknown } | undefined;
  const candidate =
    exports?.OpenAI ?? (exports?.default as { OpenAI?: unknown } | undefined)?.OpenAI ?? exports?.default;
  return typeof candidate === 'function' ? (candidate as unknown as Record<string, unknown>) : undefined;
}

function prototypeAt(openAIClass: Record<string, unknown>, classPath: readonly string[]) {
  let current: unknown = openAIClass;
  for (const key of classPath) current = (current as Record<string, unknown> | undefined)?.[key];
  const prototype = (current as { prototype?: unknown } | undefined)?.prototype;
  return prototype !== null && typeof prototype === 'object'
    ? (prototype as { create?: unknown })
    : undefined;
}

/**
 * Patches `openai` (majors 4 to 7) when it is loaded, for `--require` / `--import` of the register
 * or any OpenTelemetry SDK's `registerInstrumentations`. Every client of the patched module is
 * measured, helpers included (`chat.completions.stream()`, `responses.parse()` …), since they all
 * end in the patched `create` methods. Beside upstream's `@opentelemetry/instrumentation-openai`
 * (a NodeSDK's auto-instrumentations load it), each wraps over the other: its spans and our metrics
 * both stay (see @va/instrumentation-base).
 */
export class OpenAIInstrumentation extends GenAIClientInstrumentation<OpenAIInstrumentationConfig, Settings> {
  constructor(config: OpenAIInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config, (options) => resolveSettings(options));
  }

  protected override modulePatches(): readonly ModulePatch[] {
    return [
      {
        module: 'openai',
        versions: { minimum: '4.0.0', below: '8' },
        patch: (moduleExports) => this._patch(moduleExports),
        unpatch: (moduleExports) => this._unpatch(moduleExports),
      },
      ...openAIRealtimePatches(() => this.settings),
      ...agentsRealtimePatches(() => this.settings),
    ];
  }

  private _patch(moduleExports: unknown): void {
    const openAIClass = openAIClassOf(moduleExports);
    if (openAIClass === undefined) {
      this.diag.debug('openai loaded without an OpenAI class; nothing patched');
      return;
    }
    for (const operation of OPERATIONS) {
      const prototype = prototypeAt(openAIClass, operation.classPath);
      if (prototype === undefined || typeof prototype.create !== 'function') continue;
      const instrumentation = this;
      wrapMethod(
        prototype,
        'create',
        (original) =>
          function create(this: unknown, ...args: unknown[]) {
            return instrumentedCall(instrumentation.settings, operation, this, original as AnyFunction, args);
          },
      );
    }
  }

  private _unpatch(moduleExports: unknown): void {
    const openAIClass = openAIClassOf(moduleExports);
    if (openAIClass === undefined) return;
    for (const operation of OPERATIONS) {
      const prototype = prototypeAt(openAIClass, operation.classPath);
      if (prototype !== undefined) unwrapMethod(prototype, 'create');
    }
  }
}
