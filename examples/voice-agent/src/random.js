// Small helpers for the demo's randomness (latencies, utterances, think times).

/** A number drawn uniformly from [min, max). */
function between(min, max) {
  return min + Math.random() * (max - min);
}

/** An integer drawn uniformly from [min, max]. */
function integerBetween(min, max) {
  return Math.floor(between(min, max + 1));
}

function chance(probability) {
  return Math.random() < probability;
}

function pick(items) {
  return items[Math.floor(Math.random() * items.length)];
}

/** Waits `ms`, or less if `signal` aborts; never rejects. */
function sleep(ms, signal) {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

module.exports = { between, integerBetween, chance, pick, sleep };
