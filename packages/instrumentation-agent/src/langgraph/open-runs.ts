/**
 * Runs that have started and not yet ended, by run id. Bounded: a run whose end is never reported
 * must not hold memory for ever, so past the limit the oldest entry is forgotten (and that run goes
 * unrecorded).
 */
export class OpenRuns<Run> {
  private readonly runs = new Map<string, Run>();

  constructor(private readonly limit: number) {}

  get size(): number {
    return this.runs.size;
  }

  has(runId: string): boolean {
    return this.runs.has(runId);
  }

  get(runId: string): Run | undefined {
    return this.runs.get(runId);
  }

  add(runId: string, run: Run): void {
    this.runs.set(runId, run);
    if (this.runs.size > this.limit) {
      const oldest = this.runs.keys().next();
      if (oldest.done !== true) this.runs.delete(oldest.value);
    }
  }

  /** The run, removed; undefined when it was never seen or already forgotten. */
  take(runId: string): Run | undefined {
    const run = this.runs.get(runId);
    this.runs.delete(runId);
    return run;
  }
}
