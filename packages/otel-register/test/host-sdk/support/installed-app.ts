import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type InstalledApp, installApp as installAppOutside } from '@va/test-metrics/installed-app';
import { packPublicPackages } from '@va/test-metrics/tarballs';

const REPOSITORY = fileURLToPath(new URL('../../../../..', import.meta.url));
const APP_SOURCES = fileURLToPath(new URL('../app', import.meta.url));

/** The published packages of the monorepo, as `npm pack` makes them: what a user installs. */
export function packOurPackages(): string[] {
  const destination = join(tmpdir(), `va-tarballs-${process.pid}`);
  rmSync(destination, { recursive: true, force: true });
  mkdirSync(destination, { recursive: true });
  return [...packPublicPackages(REPOSITORY, destination).values()].map(({ tarball }) => tarball);
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
