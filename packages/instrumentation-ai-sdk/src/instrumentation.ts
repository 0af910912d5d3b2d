import { type ModulePatch, unwrapMethod, wrapMethod } from '@va/instrumentation-base';
import {
  type ClientSettings,
  clientSettingsOf,
  GenAIClientInstrumentation,
  type GenAIInstrumentationConfig,
} from '@va/instrumentation-genai';
import { AGENT_CLASSES, isAgentStandIn, withMeasuredAgentModel } from './agent-classes.js';
import { ENTRY_FUNCTIONS, modelByName, withMeasuredModel } from './entry-functions.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';

export type AISDKInstrumentationConfig = GenAIInstrumentationConfig;

type Exports = Record<string, unknown>;

/**
 * Whether the entry functions can be replaced on the module object itself: an ES module namespace
 * (import-in-the-middle's, whose exports take new values) can; the CommonJS build's exports are a
 * bundler's non-configurable getters, which cannot.
 */
function patchableInPlace(exports: Exports): boolean {
  const descriptor = Object.getOwnPropertyDescriptor(exports, ENTRY_FUNCTIONS[0]);
  return descriptor === undefined || descriptor.configurable === true || descriptor.writable === true;
}

const REPLACEABLE: ReadonlySet<PropertyKey> = new Set([...ENTRY_FUNCTIONS, ...AGENT_CLASSES]);

/**
 * Exports that read through to the module's own (`__esModule` included), the entry functions and agent
 * classes as plain properties that a patch can replace and restore.
 */
function replaceableExports(exports: Exports): Exports {
  const replacement = Object.create(Object.getPrototypeOf(exports)) as Exports;
  for (const key of Reflect.ownKeys(exports)) {
    const enumerable = Object.getOwnPropertyDescriptor(exports, key)?.enumerable ?? true;
    Object.defineProperty(
      replacement,
      key,
      REPLACEABLE.has(key)
        ? { configurable: true, enumerable, writable: true, value: exports[key as string] }
        : { configurable: true, enumerable, get: () => exports[key as string] },
    );
  }
  return replacement;
}

/**
 * Patches `ai` (majors 4 to 7) when it is loaded, for `--require` / `--import` of the register or any
 * OpenTelemetry SDK's `registerInstrumentations`: `generateText`, `streamText`, `generateObject`,
 * `streamObject`, `embed` and `embedMany` run with a measuring view of their model (instrumentModel()),
 * so each model call they make is recorded. Under `require`, the application gets exports that read
 * through to the module's own (which no patch can replace in place); under `import`, the namespace's
 * functions are replaced.
 */
export class AISDKInstrumentation extends GenAIClientInstrumentation<AISDKInstrumentationConfig> {
  /** The exports each CommonJS load got instead of its own, patched again after a disable(). */
  private readonly _replacements = new WeakMap<object, Exports>();
  /** The agent classes replaced, by the exports they were replaced on, to put back on unpatch. */
  private readonly _agentClasses = new WeakMap<object, Map<string, unknown>>();
  /** Each agent class's stand-in. */
  private readonly _standIns = new WeakMap<object, unknown>();

  constructor(config: AISDKInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config, clientSettingsOf);
  }

  protected override modulePatches(): readonly ModulePatch[] {
    return [
      {
        module: 'ai',
        versions: { minimum: '4.0.0', below: '8' },
        patch: (moduleExports, version) => this._patch(moduleExports, Number(version?.split('.')[0] ?? 0)),
        unpatch: (moduleExports) => this._unpatch(moduleExports),
      },
    ];
  }

  private _patch(moduleExports: unknown, major: number): unknown {
    if (moduleExports === null || typeof moduleExports !== 'object') return undefined;
    const exports = moduleExports as Exports;
    const known = this._replacements.get(exports);
    const replaced = known === undefined && !patchableInPlace(exports);
    const target = known ?? (replaced ? replaceableExports(exports) : exports);
    const settings = () => this.settings;
    for (const name of ENTRY_FUNCTIONS) {
      const byName = modelByName(exports, major, name);
      wrapMethod(target, name, (original) => withMeasuredModel(original, settings, byName));
    }
    for (const name of AGENT_CLASSES) this._replaceAgentClass(target, name, settings);
    if (!replaced) return undefined;
    this._replacements.set(exports, target);
    return target;
  }

  private _unpatch(moduleExports: unknown): void {
    if (moduleExports === null || typeof moduleExports !== 'object') return;
    const target = this._replacements.get(moduleExports) ?? (moduleExports as Exports);
    for (const name of ENTRY_FUNCTIONS) unwrapMethod(target, name);
    for (const name of AGENT_CLASSES) {
      const original = this._agentClasses.get(target)?.get(name);
      if (original !== undefined) target[name] = original;
    }
  }

  /** A class cannot be wrapped by a function (`new`, `instanceof`): it is replaced by a stand-in of ours. */
  private _replaceAgentClass(target: Exports, name: string, settings: () => ClientSettings): void {
    const current = target[name];
    if (typeof current !== 'function' || isAgentStandIn(current)) return;
    let originals = this._agentClasses.get(target);
    if (originals === undefined) {
      originals = new Map();
      this._agentClasses.set(target, originals);
    }
    // After an unpatch, the stand-in made the first time is put back.
    const known = this._standIns.get(current);
    const standIn = known ?? withMeasuredAgentModel(current as new (...args: unknown[]) => unknown, settings);
    this._standIns.set(current, standIn);
    originals.set(name, current);
    target[name] = standIn;
  }
}
