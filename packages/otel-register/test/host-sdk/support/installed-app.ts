import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPOSITORY = fileURLToPath(new URL('../../../../..', import.meta.url));
const APP_SOURCES = fileURLToPath(new URL('../app', import.meta.url));

/** The published packages of the monorepo, as `npm pack` makes them: what a user installs. */
export function packOurPackages(): string[] {
  const destination = join(tmpdir(), `va-tarballs-${process.pid}`);
  rmSync(destination, { recursive: true, force: true });
  mkdirSync(destination, { recursive: true });
  const workspaces = readdirSync(join(REPOSITORY, 'packages')).filter((folder) => {
    const manifest = JSON.parse(readFileSync(join(REPOSITORY, 'packages', folder, 'package.json'), 'utf8'));
    return manifest.private !== true;
  });
  execFileSync(
    'npm',
    [
      'pack',
      '--silent',
      '--pack-destination',
      destination,
      ...workspaces.flatMap((folder) => ['--workspace', `packages/${folder}`]),
    ],
    { cwd: REPOSITORY, stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000 },
  );
  return readdirSync(destination)
    .filter((file) => file.endsWith('.tgz'))
    .map((file) => join(destination, file));
}

export interface InstalledApp {
  readonly directory: string;
}

/**
 * A fresh application folder outside the monorepo with `registryDependencies` from the registry and
 * our tarballs, installed by npm as a user would, and the fixture app's files. The install is kept
 * under the system's temporary folder by a hash of what went into it, so the Node 20 and Node 24
 * runs of one CI job, and reruns of an unchanged tree, install once.
 */
export function installApp(
  name: string,
  registryDependencies: Record<string, string>,
  tarballs: string[],
): InstalledApp {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(registryDependencies));
  for (const tarball of [...tarballs].sort()) hash.update(readFileSync(tarball));
  const directory = join(tmpdir(), 'va-installed-apps', `${name}-${hash.digest('hex').slice(0, 16)}`);
  const installed = join(directory, '.installed');
  if (!existsSync(installed)) {
    // Installs of older trees are of no use any more.
    const parent = join(tmpdir(), 'va-installed-apps');
    for (const entry of existsSync(parent) ? readdirSync(parent) : []) {
      if (entry.startsWith(`${name}-`)) rmSync(join(parent, entry), { recursive: true, force: true });
    }
    rmSync(directory, { recursive: true, force: true });
    mkdirSync(directory, { recursive: true });
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
    writeFileSync(installed, new Date().toISOString());
  }
  // The app's own files are copied every time: they are not part of the install's hash.
  cpSync(APP_SOURCES, directory, { recursive: true });
  return { directory: resolve(directory) };
}
