// The frame of every test file here: one user app per public package, installed before its tests,
// and first of all the check that npm took every @va package from our tarballs.
import { beforeAll, describe, expect, it } from 'vitest';
import { installUserApp, ourInstalledPackages, type UserApp } from './user-app.js';

/** The fixture runners: the package through its CommonJS entry, then through its ES module entry. */
export const MODULE_SYSTEMS = [
  ['CommonJS (require)', 'load.cjs'],
  ['ES modules (import)', 'load.mjs'],
] as const;

export function describeInstalled(
  name: string,
  registryDependencies: Record<string, string>,
  tests: (app: () => UserApp) => void,
): void {
  describe(`${name}, installed from its tarball in a fresh app outside the monorepo`, () => {
    let installed: UserApp | undefined;
    beforeAll(() => {
      installed = installUserApp(name, registryDependencies);
    });
    const app = (): UserApp => installed!;

    it('has its own tarball and those of its @va dependencies, once each, and nothing of ours from the registry', () => {
      expect(ourInstalledPackages(app())).toEqual(app().ours);
    });

    tests(app);
  });
}
