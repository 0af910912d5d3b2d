/** The releases a patch was written for: from `minimum` (inclusive) up to `below` (exclusive). */
export interface VersionRange {
  readonly minimum: string;
  readonly below: string;
}

/** `major.minor.patch` of a release; a prerelease or build suffix is ignored. */
function numbersOf(version: string): [number, number, number] | undefined {
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(version.trim());
  if (match === null) return undefined;
  return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}

function compare(left: readonly number[], right: readonly number[]): number {
  for (let index = 0; index < 3; index++) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/**
 * Whether `version` lies in `range`. A prerelease counts as its release (`8.0.0-beta.1` is `8.0.0`, so
 * not below 8): a patch is never applied to a major it was not written for. An unknown version (no
 * package.json) is outside every range, as in @opentelemetry/instrumentation.
 */
export function versionInRange(version: string | undefined, range: VersionRange): boolean {
  if (version === undefined) return false;
  const numbers = numbersOf(version);
  const minimum = numbersOf(range.minimum);
  const below = numbersOf(range.below);
  if (numbers === undefined || minimum === undefined || below === undefined) return false;
  return compare(numbers, minimum) >= 0 && compare(numbers, below) < 0;
}
