import type { Pipeline } from './pipeline.js';
import { reportMisuse } from './report-misuse.js';

export interface StageDuration {
  readonly stage: string;
  readonly seconds: number;
}

export interface TurnTimings {
  readonly stages: readonly StageDuration[];
  /** From the end of the user's speech to the first audio out; undefined unless both are marked, in order. */
  readonly responseLatency: number | undefined;
}

const NO_TIMINGS: TurnTimings = { stages: [], responseLatency: undefined };

/**
 * The stages and response latency of a turn, from its marks (in milliseconds).
 *
 * Each stage runs from the latest earlier mark the turn has to its own mark, so a missing optional
 * mark (no turn detector, a speech-to-speech model without a transcript) merges its stage into the
 * next. A mark earlier than the one before it would give a negative duration: its stage is skipped
 * and the next stage starts from the last mark in order, so the stages still add up to the latency.
 * Without the start mark there is nothing to measure from: an agent-initiated turn (a greeting)
 * records no stage.
 */
export function timingsOf(pipeline: Pipeline, marks: ReadonlyMap<string, number>): TurnTimings {
  const start = marks.get(pipeline.start);
  if (start === undefined) return NO_TIMINGS;
  const stages: StageDuration[] = [];
  let previousMark = pipeline.start;
  let previous = start;
  for (const step of pipeline.steps) {
    const at = marks.get(step.mark);
    if (at === undefined) continue;
    if (at < previous) {
      reportMisuse(
        `out-of-order:${step.stage}`,
        `mark ${step.mark} came before ${previousMark}; stage ${step.stage} skipped (reported once)`,
      );
      continue;
    }
    stages.push({ stage: step.stage, seconds: (at - previous) / 1000 });
    previousMark = step.mark;
    previous = at;
  }
  const end = marks.get(pipeline.end);
  const responseLatency = end !== undefined && end >= start ? (end - start) / 1000 : undefined;
  return { stages, responseLatency };
}
