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
  readonly #record: Recorder;
  #running: { stop(): void } | undefined;

  constructor(record: Recorder) {
    super('@va/otel-register', PACKAGE_VERSION);
    this.#record = record;
  }

  protected override modulePatches(): readonly ModulePatch[] {
    return [];
  }

  protected override createInstruments(meter: Meter): void {
    if (this.#running === undefined) return;
    this.#running.stop();
    this.#running = this.#record(meter);
  }

  override enable(): void {
    if (this.isEnabled) return;
    super.enable();
    this.#running = this.#record(this.meter);
  }

  override disable(): void {
    super.disable();
    this.#running?.stop();
    this.#running = undefined;
  }
}
