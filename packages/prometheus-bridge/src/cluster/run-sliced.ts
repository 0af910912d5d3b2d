// Merging and (de)serializing the metrics of a whole cluster is proportional to its series: tens of
// milliseconds for ten thousand histogram series. That work is written as generators that pause every
// few hundred points, and run here in slices, letting the event loop take other work in between (in a
// cluster primary, that other work is handing new connections to the workers).

import { yieldToEventLoop } from '../yield-to-event-loop.js';

/** How many points a step handles before it pauses. */
export const POINTS_PER_STEP = 256;

/** Runs `steps` to the end at once (the synchronous, pure entry points use it). */
export function runToEnd<T>(steps: Generator<void, T, undefined>): T {
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
}

/** Runs `steps` in slices of `sliceMillis`, yielding to the event loop between slices. */
export async function runSliced<T>(steps: Generator<void, T, undefined>, sliceMillis: number): Promise<T> {
  let sliceStart = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
    if (performance.now() - sliceStart >= sliceMillis) {
      await yieldToEventLoop();
      sliceStart = performance.now();
    }
  }
}
