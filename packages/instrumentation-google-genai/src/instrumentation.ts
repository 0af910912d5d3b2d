import { type ModulePatch, wrapMethod } from '@va/instrumentation-base';
import {
  clientSettingsOf,
  GenAIClientInstrumentation,
  type GenAIInstrumentationConfig,
} from '@va/instrumentation-genai';
import { instrumentedCall, MEASURED_METHODS, type MeasuredMethod } from './instrumented-call.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';

export type GoogleGenAIInstrumentationConfig = GenAIInstrumentationConfig;

type AnyFunction = (...args: unknown[]) => unknown;

/** Marks the prototype accessors this package installed, so a second load patches nothing twice. */
const OURS = Symbol.for('@va/instrumentation-google-genai.models-accessor');

/** The `Models` prototype of a loaded `@google/genai`, CommonJS exports or an ESM namespace. */
function modelsPrototypeOf(moduleExports: unknown): object | undefined {
  const exports = moduleExports as { Models?: unknown; default?: { Models?: unknown } } | undefined;
  const candidate = exports?.Models ?? exports?.default?.Models;
  const prototype =
    typeof candidate === 'function' ? (candidate as { prototype?: unknown }).prototype : undefined;
  return prototype !== null && typeof prototype === 'object' ? prototype : undefined;
}

/**
 * Patches `@google/genai` (majors 1 to 3) when it is loaded, for `--require` / `--import` of the
 * register or any OpenTelemetry SDK's `registerInstrumentations`. The client's `Models` methods are not
 * on its prototype: each `Models` instance gets them as arrow functions assigned in its constructor. So
 * the patch puts a setter for each measured name on `Models.prototype`, which that assignment goes
 * through: it stores the method on the instance, wrapped. Every `Models` made after the module loaded is
 * measured, the one `client.chats` uses included; one made before is not.
 */
export class GoogleGenAIInstrumentation extends GenAIClientInstrumentation<GoogleGenAIInstrumentationConfig> {
  /** Wrappers of instances made while patched stay on them; unpatched, they call straight through. */
  private _patched = false;

  constructor(config: GoogleGenAIInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config, (options) => clientSettingsOf(options));
  }

  protected override modulePatches(): readonly ModulePatch[] {
    return [
      {
        module: '@google/genai',
        versions: { minimum: '1.0.0', below: '4' },
        patch: (moduleExports) => this._patch(moduleExports),
        unpatch: (moduleExports) => this._unpatch(moduleExports),
      },
    ];
  }

  private _patch(moduleExports: unknown): void {
    const prototype = modelsPrototypeOf(moduleExports);
    if (prototype === undefined) {
      this.diag.debug('@google/genai loaded without a Models class; nothing patched');
      return;
    }
    this._patched = true;
    for (const method of MEASURED_METHODS) {
      const existing = Object.getOwnPropertyDescriptor(prototype, method);
      if (existing !== undefined && (existing.set as { [OURS]?: boolean } | undefined)?.[OURS] !== true) {
        // A release that defines the method on the prototype: wrap it there.
        this._wrap(prototype, method, undefined);
        continue;
      }
      if (existing !== undefined) continue;
      const instrumentation = this;
      const set = function (this: object, value: unknown): void {
        Object.defineProperty(this, method, { configurable: true, enumerable: true, writable: true, value });
        instrumentation._wrap(this, method, this);
      };
      Object.defineProperty(set, OURS, { value: true });
      Object.defineProperty(prototype, method, {
        configurable: true,
        enumerable: false,
        get: () => undefined,
        set,
      });
    }
  }

  /** Wraps `target[method]`; `models` is the instance the call is made on, when known now. */
  private _wrap(target: object, method: MeasuredMethod, models: object | undefined): void {
    const instrumentation = this;
    wrapMethod(
      target,
      method,
      (original) =>
        function measured(this: unknown, ...args: unknown[]) {
          if (!instrumentation._patched) return Reflect.apply(original, this, args);
          return instrumentedCall(
            instrumentation.settings,
            models ?? this,
            method,
            original as AnyFunction,
            args,
          );
        },
    );
  }

  private _unpatch(moduleExports: unknown): void {
    this._patched = false;
    const prototype = modelsPrototypeOf(moduleExports);
    if (prototype === undefined) return;
    for (const method of MEASURED_METHODS) {
      const existing = Object.getOwnPropertyDescriptor(prototype, method);
      if ((existing?.set as { [OURS]?: boolean } | undefined)?.[OURS] === true)
        delete (prototype as Record<string, unknown>)[method];
    }
  }
}
