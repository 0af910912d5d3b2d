// Hooks of our own on `require` and `import`, one pair per module we patch. We do not register
// through @opentelemetry/instrumentation: its require hook is one singleton per copy of that
// package, created by the first instrumentation constructed, and it remembers every module required
// after that moment with the hooks registered at that moment. An application's own NodeSDK, started
// after `--require @va/otel-register` and sharing that copy, then never got to patch `http`, `net`
// or anything else its own setup had required in between: its HTTP server spans disappeared. A
// require-in-the-middle hook that names its modules remembers only those.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ownImportInTheMiddle from 'import-in-the-middle';
import { Hook as RequireHook } from 'require-in-the-middle';
import { type VersionRange, versionInRange } from './version-range.js';

/** A module as the application got it: `require()`'s exports, or the namespace of an `import`. */
export interface LoadedModule {
  readonly exports: unknown;
  readonly version: string | undefined;
}

export interface ModuleHook {
  /** The loads of the module seen so far, supported or not. */
  readonly loaded: readonly LoadedModule[];
  /** Stops watching for loads; what was patched stays patched. */
  unhook(): void;
}

type ImportHookClass = typeof ownImportInTheMiddle.Hook;

/** Shared by every copy of this package. */
const IMPORT_HOOKS = Symbol.for('@va/instrumentation-base.import-in-the-middle');
type GlobalWithImportHooks = typeof globalThis & { [IMPORT_HOOKS]?: { Hook: ImportHookClass } };

/**
 * The copy of import-in-the-middle whose loader wraps the application's ES modules, when it is not
 * ours. Two copies keep their hooks in two registries: a module wrapped by one copy's loader calls
 * only that copy's hooks (nodejs/import-in-the-middle#274). A tracer that brings its own copy and
 * registers its loader (dd-trace) is then the one to hook through, and ours registers none.
 */
export function hookImportsThrough(importInTheMiddle: { Hook: ImportHookClass } | undefined): void {
  (globalThis as GlobalWithImportHooks)[IMPORT_HOOKS] = importInTheMiddle;
}

function importHookClass(): ImportHookClass {
  return (globalThis as GlobalWithImportHooks)[IMPORT_HOOKS]?.Hook ?? ownImportInTheMiddle.Hook;
}

/** `version` of the package.json in `directory`, or undefined. */
function packageVersionIn(directory: string | undefined): string | undefined {
  if (directory === undefined) return undefined;
  try {
    const version: unknown = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')).version;
    return typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Calls `onLoad` for each load of package `name` within `versions`, through `require()` (CommonJS)
 * and, where the register's ES module loader hook is in place, `import`. The same package may reach
 * `onLoad` more than once (required and imported, or two copies): patches must be idempotent.
 * `onLoad` patches in place and must not throw (the caller's fault handling belongs inside it). For a
 * `require()`d module whose exports cannot be patched in place (a bundler's non-configurable getters),
 * `onLoad` may return the exports the application gets instead; under `import` its result is ignored.
 */
export function hookModule(
  name: string,
  versions: VersionRange,
  onLoad: (loaded: LoadedModule) => unknown,
): ModuleHook {
  const loaded: LoadedModule[] = [];
  const seen = new WeakSet<object>();
  const handle = (exports: unknown, directory: string | undefined): unknown => {
    if ((typeof exports !== 'object' && typeof exports !== 'function') || exports === null) return undefined;
    if (seen.has(exports)) return undefined;
    seen.add(exports);
    const module: LoadedModule = { exports, version: packageVersionIn(directory) };
    loaded.push(module);
    return versionInRange(module.version, versions) ? onLoad(module) : undefined;
  };
  const requireHook = new RequireHook([name], { internals: false }, (exports, _name, directory) => {
    const replacement = handle(exports, directory);
    return (typeof replacement === 'object' || typeof replacement === 'function') && replacement !== null
      ? (replacement as typeof exports)
      : exports;
  });
  const ImportHook = importHookClass();
  const importHook = new ImportHook([name], { internals: false }, (namespace, _name, directory) => {
    handle(namespace, directory ?? undefined);
    // Patched in place: nothing replaces the module's default export.
    return undefined;
  });
  return {
    loaded,
    unhook() {
      requireHook.unhook();
      importHook.unhook();
    },
  };
}
