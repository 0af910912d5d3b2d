// Where promtool is, for the tests that check the kit's files with it (Debian package `prometheus`).
import { execFileSync } from 'node:child_process';

/** PROMTOOL_BIN, else promtool beside PROMETHEUS_BIN, else promtool on PATH; undefined if none runs. */
export function findPromtool() {
  const candidates = [
    process.env.PROMTOOL_BIN,
    process.env.PROMETHEUS_BIN ? `${process.env.PROMETHEUS_BIN.replace(/[^/]*$/, '')}promtool` : undefined,
    'promtool',
  ].filter((candidate) => candidate !== undefined && candidate !== '');
  for (const candidate of candidates) {
    try {
      execFileSync(candidate, ['--version'], { stdio: 'ignore', timeout: 10_000 });
      return candidate;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

/** CI must not skip a promtool check: there, a missing promtool is a failure, not a warning. */
export const inCI = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
