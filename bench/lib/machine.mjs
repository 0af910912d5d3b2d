import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The installed version of a package as this workspace resolves it (exports maps may hide package.json). */
export function versionOf(name) {
  try {
    let directory = dirname(require.resolve(name));
    for (;;) {
      try {
        const manifest = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8'));
        if (manifest.name === name) return manifest.version;
      } catch {}
      const parent = dirname(directory);
      if (parent === directory) return 'unknown';
      directory = parent;
    }
  } catch {
    return 'not installed';
  }
}

function formatDuration(millis) {
  const seconds = Math.round(millis / 1000);
  return seconds < 120 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

function git(args) {
  try {
    return execFileSync('git', args, { cwd: new URL('.', import.meta.url), encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

/** Taken when a bench imports this module, that is when it starts. */
const start = { date: new Date(), load: loadavg() };

const formatLoad = (load) => load.map((value) => value.toFixed(2)).join(', ');

/** The markdown bullet list every last-run.md starts with; call it when the run is over. */
export function machineLines({ packages, command }) {
  const cpu = cpus();
  const commit = git(['rev-parse', '--short', 'HEAD']);
  const dirty = git(['status', '--porcelain']);
  return [
    `- date: ${start.date.toISOString()} (start; the run took ${formatDuration(Date.now() - start.date.getTime())})`,
    `- machine: ${cpu[0]?.model?.trim() ?? 'unknown CPU'} × ${cpu.length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${platform()} ${release()}`,
    `- node ${process.version}`,
    `- load average (1, 5, 15 min) at the start ${formatLoad(start.load)}, at the end ${formatLoad(loadavg())}: this machine has 2 cores, and other work on it during a run shows in the figures`,
    `- packages: ${packages.map((name) => `${name} ${versionOf(name)}`).join(', ')}`,
    ...(commit === undefined
      ? []
      : [`- source: commit ${commit}${dirty ? ' plus uncommitted changes in the work tree' : ''}`]),
    `- command: \`${command}\``,
  ];
}
