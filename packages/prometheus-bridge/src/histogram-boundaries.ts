// Histogram points can be added up only when their buckets line up: the bridge's cumulative store adds each
// delta to its total, a cluster merge adds the processes' points together.

/** Whether two histograms have the same bucket boundaries. */
export function sameBoundaries(a: readonly number[], b: readonly number[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}
