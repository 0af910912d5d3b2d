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
  /** Patches in place (idempotent: a package may load twice). A throw is reported once, never rethrown. */
  patch(exports: unknown, version: string | undefined): void;
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
  #config: Config;
  #meter: Meter | undefined;
  #enabled = false;
  #patches: readonly ModulePatch[] | undefined;
  #hooks: ModuleHook[] | undefined;
  readonly #reportFault: ReportFault;

  constructor(instrumentationName: string, instrumentationVersion: string, config?: Config) {
    this.instrumentationName = instrumentationName;
    this.instrumentationVersion = instrumentationVersion;
    this.diag = diag.createComponentLogger({ namespace: instrumentationName });
    this.#reportFault = createFaultReporter(instrumentationName);
    this.#config = { ...(config ?? ({} as Config)) };
  }

  /** The packages this instrumentation patches; read once, at the first `enable()`. */
  protected abstract modulePatches(): readonly ModulePatch[];

  /** Creates the instruments on `meter`: at the first `enable()` and whenever the provider changes. */
  protected abstract createInstruments(meter: Meter): void;

  protected get meter(): Meter {
    this.#meter ??= this.#useMeterProvider(vaMeterProvider());
    return this.#meter;
  }

  setMeterProvider(meterProvider: MeterProvider): void {
    this.#meter = this.#useMeterProvider(meterProvider);
  }

  /** Accepted for the `Instrumentation` interface and ignored: no @va instrumentation traces. */
  setTracerProvider(_tracerProvider: unknown): void {}

  getConfig(): Config {
    return { ...this.#config, enabled: this.#enabled };
  }

  setConfig(config: Config): void {
    this.#config = { ...config };
  }

  /**
   * The patches this instrumentation applies, for a module the hooks cannot see by name: a copy
   * installed under an alias (`npm install openai6@npm:openai@6`), or a bundled one.
   */
  getModulePatches(): readonly ModulePatch[] {
    this.#patches ??= this.#guard('listing its module patches', () => this.modulePatches()) ?? [];
    return this.#patches;
  }

  get isEnabled(): boolean {
    return this.#enabled;
  }

  enable(): void {
    if (this.#enabled) return;
    this.#enabled = true;
    void this.meter;
    if (this.#hooks === undefined) {
      this.#hooks = this.getModulePatches().map((patch) =>
        hookModule(patch.module, patch.versions, (loaded) => {
          if (this.#enabled)
            this.#guard(`patching ${patch.module}`, () => patch.patch(loaded.exports, loaded.version));
        }),
      );
      return;
    }
    this.#eachLoaded('patching', (patch, loaded) => patch.patch(loaded.exports, loaded.version));
  }

  disable(): void {
    if (!this.#enabled) return;
    this.#enabled = false;
    this.#eachLoaded('unpatching', (patch, loaded) => patch.unpatch(loaded.exports));
  }

  /**
   * Our own faults never reach the application: the first at each `where` is logged as an error,
   * later ones at debug level (see createFaultReporter), and the application's call goes on.
   */
  protected reportFault(fault: unknown, where = 'recording metrics'): void {
    this.#reportFault(where, fault);
  }

  #useMeterProvider(meterProvider: MeterProvider): Meter {
    const meter = meterProvider.getMeter(this.instrumentationName, this.instrumentationVersion);
    this.#guard('creating its instruments', () => this.createInstruments(meter));
    return meter;
  }

  #eachLoaded(doing: string, action: (patch: ModulePatch, loaded: LoadedModule) => void): void {
    const patches = this.#patches ?? [];
    (this.#hooks ?? []).forEach((hook, index) => {
      const patch = patches[index];
      if (patch === undefined) return;
      for (const loaded of hook.loaded) {
        if (versionInRange(loaded.version, patch.versions))
          this.#guard(`${doing} ${patch.module}`, () => action(patch, loaded));
      }
    });
  }

  #guard<T>(where: string, action: () => T): T | undefined {
    try {
      return action();
    } catch (fault) {
      this.reportFault(fault, where);
      return undefined;
    }
  }
}
