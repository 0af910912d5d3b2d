/**
 * mulberry32: a tiny seeded PRNG. The default `random` is seeded so that a demo's jitter and its
 * random 429s repeat from run to run; Math.random would make every run different.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A delay drawn uniformly from `[min, max]`, whole milliseconds. */
export function uniform(random: () => number, range: readonly [number, number]): number {
  const [min, max] = range[0] <= range[1] ? range : [range[1], range[0]];
  return Math.round(min + random() * (max - min));
}
