/**
 * Runs that have started and not yet ended, by run id. Bounded: a run whose end is never reported
 * must not hold memory for ever, so past the limit the oldest entry is forgotten (and that run goes
 * unrecorded).
 */
export class OpenRuns<Run> {
  private readonly _runs = new Map<string, Run>();

  constructor(private readonly _limit: number) {}

  get size(): number {
    return this._runs.size;
  }

  has(runId: string): boolean {
    return this._runs.has(runId);
  }

  get(runId: string): Run | undefined {
    return this._runs.get(runId);
  }

  add(runId: string, run: Run): void {
    this._runs.set(runId, run);
    if (this._runs.size > this._limit) {
      const oldest = this._runs.keys().next();
      if (oldest.done !== true) this._runs.delete(oldest.value);
    }
  }

  /** The run, removed; undefined when it was never seen or already forgotten. */
  take(runId: string): Run | undefined {
    const run = this._runs.get(runId);
    this._runs.delete(runId);
    return run;
  }
}
