import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface InstalledApp {
  readonly directory: string;
}

export interface InstallAppOptions {
  /** Tarballs (`npm pack`) installed beside the registry dependencies, each under its package name. */
  readonly tarballs?: readonly string[];
  /** A folder whose files are copied into the app after the install, every time (not part of the hash). */
  readonly files?: string;
}

const PARENT = join(tmpdir(), 'va-installed-apps');

/**
 * A fresh application folder outside the monorepo with `registryDependencies` from the registry (and the
 * tarballs), installed by npm as a user would. Packages installed here stay out of the monorepo's own
 * install: a package that needs a newer Node than the monorepo supports is installed only where and
 * when its tests run. The install is kept under the system's temporary folder by a hash of what went
 * into it, so the Node 20 and Node 24 runs of one CI job, and reruns of an unchanged tree, install once.
 * Safe when test files of one run ask for the same app at once: each installs into a folder of its
 * own and moves it into place; the first to arrive is kept.
 */
export function installApp(
  name: string,
  registryDependencies: Record<string, string>,
  options: InstallAppOptions = {},
): InstalledApp {
  const tarballs = [...(options.tarballs ?? [])].sort();
  const hash = createHash('sha256');
  hash.update(JSON.stringify(registryDependencies));
  for (const tarball of tarballs) hash.update(readFileSync(tarball));
  const directory = join(PARENT, `${name}-${hash.digest('hex').slice(0, 16)}`);
  if (!existsSync(join(directory, '.installed'))) {
    mkdirSync(PARENT, { recursive: true });
    // Installs of older trees are of no use any more.
    for (const entry of readdirSync(PARENT)) {
      if (entry.startsWith(`${name}-`) && join(PARENT, entry) !== directory && !entry.includes('.tmp-')) {
        rmSync(join(PARENT, entry), { recursive: true, force: true });
      }
    }
    const staging = mkdtempSync(`${directory}.tmp-`);
    try {
      install(staging, name, registryDependencies, tarballs);
      renameInPlace(staging, directory);
    } catch (error) {
      // Another process's install of the same app arrived first: that one is used.
      if (!existsSync(join(directory, '.installed'))) throw error;
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
  if (options.files !== undefined) cpSync(options.files, directory, { recursive: true });
  return { directory: resolve(directory) };
}

/** Moves a finished install into place; a leftover without the marker (an install cut short) is replaced. */
function renameInPlace(staging: string, directory: string): void {
  try {
    renameSync(staging, directory);
  } catch (error) {
    if (existsSync(join(directory, '.installed'))) throw error;
    rmSync(directory, { recursive: true, force: true });
    renameSync(staging, directory);
  }
}

function install(
  directory: string,
  name: string,
  registryDependencies: Record<string, string>,
  tarballs: readonly string[],
): void {
  const dependencies: Record<string, string> = { ...registryDependencies };
  for (const tarball of tarballs) {
    const manifest = JSON.parse(
      execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }),
    ) as { name: string };
    dependencies[manifest.name] = `file:${tarball}`;
  }
  writeFileSync(
    join(directory, 'package.json'),
    `${JSON.stringify({ name: `va-${name}`, private: true, dependencies }, null, 2)}\n`,
  );
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: directory,
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 300_000,
  });
  writeFileSync(join(directory, '.installed'), new Date().toISOString());
}
