/** A finite, non-negative amount, else undefined (LiveKit reports a duration of -1 for "nothing came"). */
export function nonNegative(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}
