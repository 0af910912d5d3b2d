import { type DiagLogger, diag, type Meter, type MeterProvider } from '@opentelemetry/api';
import { vaMeterProvider } from '@va/semconv';
import { createFaultReporter, type ReportFault } from './diagnostics/report-fault.js';
import { hookModule, type LoadedModule, type ModuleHook } from './module-hook.js';
import { type VersionRange, versionInRange } from './version-range.js';

/** The options every instrumentation takes; `enabled` is what `getConfig()` reports (see below). */
export interface MetricsInstrumentationConfig {
  enabled?: boolean;
}

/** What an instrumentation does to one package when it loads, and how it takes it back. */
export interface ModulePatch {
  /** The package name, as the application requires or imports it. */
  readonly module: string;
  readonly versions: VersionRange;
  /**
   * Patches in place (idempotent: a package may load twice). A throw is reported once, never rethrown.
   * For a `require()`d module whose exports cannot be patched in place (a bundler's non-configurable
   * getters), it may return the exports the application gets instead (see hookModule).
   */
  patch(exports: unknown, version: string | undefined): unknown;
  unpatch(exports: unknown): void;
}

/**
 * The base of @va's instrumentations. It has the shape of OpenTelemetry's `Instrumentation`
 * interface, so an instance can be passed to `registerInstrumentations()` or a NodeSDK's
 * `instrumentations`, but it is metrics only and built on hooks of its own (module-hook.ts):
 *
 * - `setTracerProvider()` is accepted and ignored: no @va instrumentation creates a span, reads or
 *   changes a context, or injects a header;
 * - nothing is patched at construction: `enable()` installs the hooks (the register calls it;
 *   `registerInstrumentations()` and NodeSDK call it because `getConfig().enabled` reports the
 *   current state, false until then);
 * - until `setMeterProvider()` is called, it records into `vaMeterProvider()` as it is at `enable()`.
 *
 * Subclasses create their instruments in `createInstruments()` and list their patches in
 * `modulePatches()`; neither is called from this constructor, so subclass fields are initialised
 * by the time they run.
 */
export abstract class MetricsInstrumentation<
  Config extends MetricsInstrumentationConfig = MetricsInstrumentationConfig,
> {
  readonly instrumentationName: string;
  readonly instrumentationVersion: string;
  protected readonly diag: DiagLogger;
  private _config: Config;
  private _meter: Meter | undefined;
  private _enabled = false;
  private _patches: readonly ModulePatch[] | undefined;
  private _hooks: ModuleHook[] | undefined;
  private readonly _reportFault: ReportFault;

  constructor(instrumentationName: string, instrumentationVersion: string, config?: Config) {
    this.instrumentationName = instrumentationName;
    this.instrumentationVersion = instrumentationVersion;
    this.diag = diag.createComponentLogger({ namespace: instrumentationName });
    this._reportFault = createFaultReporter(instrumentationName);
    this._config = { ...(config ?? ({} as Config)) };
  }

  /** The packages this instrumentation patches; read once, at the first `enable()`. */
  protected abstract modulePatches(): readonly ModulePatch[];

  /** Creates the instruments on `meter`: at the first `enable()` and whenever the provider changes. */
  protected abstract createInstruments(meter: Meter): void;

  protected get meter(): Meter {
    this._meter ??= this._useMeterProvider(vaMeterProvider());
    return this._meter;
  }

  setMeterProvider(meterProvider: MeterProvider): void {
    this._meter = this._useMeterProvider(meterProvider);
  }

  /** Accepted for the `Instrumentation` interface and ignored: no @va instrumentation traces. */
  setTracerProvider(_tracerProvider: unknown): void {}

  getConfig(): Config {
    return { ...this._config, enabled: this._enabled };
  }

  setConfig(config: Config): void {
    this._config = { ...config };
  }

  /**
   * The patches this instrumentation applies, for a module the hooks cannot see by name: a copy
   * installed under an alias (`npm install openai6@npm:openai@6`), or a bundled one.
   */
  getModulePatches(): readonly ModulePatch[] {
    this._patches ??= this._guard('listing its module patches', () => this.modulePatches()) ?? [];
    return this._patches;
  }

  get isEnabled(): boolean {
    return this._enabled;
  }

  enable(): void {
    if (this._enabled) return;
    this._enabled = true;
    void this.meter;
    if (this._hooks === undefined) {
      this._hooks = this.getModulePatches().map((patch) =>
        hookModule(patch.module, patch.versions, (loaded) =>
          this._enabled
            ? this._guard(`patching ${patch.module}`, () => patch.patch(loaded.exports, loaded.version))
            : undefined,
        ),
      );
      return;
    }
    this._eachLoaded('patching', (patch, loaded) => patch.patch(loaded.exports, loaded.version));
  }

  disable(): void {
    if (!this._enabled) return;
    this._enabled = false;
    this._eachLoaded('unpatching', (patch, loaded) => patch.unpatch(loaded.exports));
  }

  /**
   * Our own faults never reach the application: the first at each `where` is logged as an error,
   * later ones at debug level (see createFaultReporter), and the application's call goes on.
   */
  protected reportFault(fault: unknown, where = 'recording metrics'): void {
    this._reportFault(where, fault);
  }

  private _useMeterProvider(meterProvider: MeterProvider): Meter {
    const meter = meterProvider.getMeter(this.instrumentationName, this.instrumentationVersion);
    this._guard('creating its instruments', () => this.createInstruments(meter));
    return meter;
  }

  private _eachLoaded(doing: string, action: (patch: ModulePatch, loaded: LoadedModule) => void): void {
    const patches = this._patches ?? [];
    (this._hooks ?? []).forEach((hook, index) => {
      const patch = patches[index];
      if (patch === undefined) return;
      for (const loaded of hook.loaded) {
        if (versionInRange(loaded.version, patch.versions))
          this._guard(`${doing} ${patch.module}`, () => action(patch, loaded));
      }
    });
  }

  private _guard<T>(where: string, action: () => T): T | undefined {
    try {
      return action();
    } catch (fault) {
      this.reportFault(fault, where);
      return undefined;
    }
  }
}
