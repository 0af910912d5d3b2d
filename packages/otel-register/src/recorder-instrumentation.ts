import type { Meter } from '@opentelemetry/api';
import { MetricsInstrumentation, type ModulePatch } from '@va/instrumentation-base';
import { PACKAGE_VERSION } from './version.js';

/** What records from diagnostics channels or at collection time, and how it stops. */
export type Recorder = (meter: Meter) => { stop(): void };

/**
 * One of our recorders (HTTP server and client, runtime, process) with the Instrumentation shape, so
 * the register and a NodeSDK (library mode) handle it like any instrumentation: it starts on
 * `enable()`, stops on `disable()`, and moves to a new MeterProvider. It patches no module. Its
 * meter is `@va/otel-register`, the scope label of every series it records.
 */
export class RecorderInstrumentation extends MetricsInstrumentation {
  private readonly _record: Recorder;
  private _running: { stop(): void } | undefined;

  constructor(record: Recorder) {
    super('@va/otel-register', PACKAGE_VERSION);
    this._record = record;
  }

  protected override modulePatches(): readonly ModulePatch[] {
    return [];
  }

  protected override createInstruments(meter: Meter): void {
    if (this._running === undefined) return;
    this._running.stop();
    this._running = this._record(meter);
  }

  override enable(): void {
    if (this.isEnabled) return;
    super.enable();
    this._running = this._record(this.meter);
  }

  override disable(): void {
    super.disable();
    this._running?.stop();
    this._running = undefined;
  }
}
