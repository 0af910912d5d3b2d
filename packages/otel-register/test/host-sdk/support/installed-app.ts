import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type InstalledApp, installApp as installAppOutside } from '@va/test-metrics/installed-app';

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

export type { InstalledApp } from '@va/test-metrics/installed-app';

/** A fresh application outside the monorepo with these registry dependencies, our tarballs and the fixture app's files. */
export function installApp(
  name: string,
  registryDependencies: Record<string, string>,
  tarballs: string[],
): InstalledApp {
  return installAppOutside(name, registryDependencies, { tarballs, files: APP_SOURCES });
}
