// What the traffic is doing, on stdout: a live line redrawn in place on a terminal, a plain line
// every few seconds otherwise (logs, CI), nothing periodic with --quiet.

const BAR_WIDTH = 16;
const PLAIN_INTERVAL_MS = 10_000;

function percentile(values, fraction) {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
}

function seconds(ms) {
  return ms === undefined ? '–' : `${(ms / 1000).toFixed(2)} s`;
}

function clock(ms) {
  const total = Math.floor(ms / 1000);
  const minutes = Math.floor(total / 60);
  return `${minutes}m${String(total % 60).padStart(2, '0')}s`;
}

/** One line describing the traffic so far. */
function describe(stats, elapsedMs) {
  const latency = `latency p50 ${seconds(percentile(stats.latencies, 0.5))} p95 ${seconds(percentile(stats.latencies, 0.95))}`;
  const turns = `${stats.turns} turns (${stats.interrupted} interrupted, ${stats.failed} failed)`;
  if (stats.phase === 'warm-up') {
    const filled = Math.round((stats.warmupDone / stats.warmupTotal) * BAR_WIDTH);
    const bar = '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled);
    return `warm-up [${bar}] ${stats.warmupDone}/${stats.warmupTotal} calls · ${turns} · ${latency}`;
  }
  const calls = `${stats.openSessions} calls open, ${stats.sessions} in all (${stats.speechToSpeech} speech-to-speech)`;
  return `live ${clock(elapsedMs)} · ${calls} · ${turns} · ${latency}`;
}

function createProgress({ stream = process.stdout, quiet = false } = {}) {
  const interactive = Boolean(stream.isTTY) && !quiet;
  const startedAt = performance.now();
  let timer;
  let drawn = false;
  let lastDrawn = '';
  let getStats;

  const current = () => describe(getStats(), performance.now() - startedAt);

  function clear() {
    if (drawn) stream.write('\r\x1b[2K');
    drawn = false;
  }

  function draw() {
    const width = (stream.columns || 100) - 1;
    const full = current();
    const text = full.length > width ? `${full.slice(0, width - 1)}…` : full;
    if (drawn && text === lastDrawn) return;
    stream.write(`\r\x1b[2K${text}`);
    lastDrawn = text;
    drawn = true;
  }

  return {
    interactive,
    /** Prints a line without garbling the live line (which is redrawn below it). */
    log(text, target = process.stdout) {
      clear();
      target.write(`${text}\n`);
      if (timer && interactive) draw();
    },
    start(statsOf) {
      getStats = statsOf;
      if (interactive) {
        timer = setInterval(draw, 250);
        draw();
      } else if (!quiet) {
        timer = setInterval(() => stream.write(`${current()}\n`), PLAIN_INTERVAL_MS);
      }
      timer?.unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
      clear();
    },
    /** The closing line: what the run did. */
    summary() {
      return getStats ? current().replace(/^warm-up \[[^\]]*\]/, 'warm-up') : undefined;
    },
  };
}

module.exports = { createProgress };
