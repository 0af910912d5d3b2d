// `npm publish --dry-run` of every public package, as a release would run it, offline: no warning at
// all (npm prints one per problem it corrects or suspects in a manifest), public access, and a tarball
// that holds what a user needs (its README, the license, source maps whose sources are in it too).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { publicWorkspaces } from '@va/test-metrics/tarballs';
import { beforeAll, describe, expect, it } from 'vitest';

const REPOSITORY = fileURLToPath(new URL('../../..', import.meta.url));
const REGISTRY = 'https://registry.npmjs.org/';
const run = promisify(execFile);

interface DryRun {
  readonly name: string;
  readonly files: readonly { path: string }[];
}

const workspaces = publicWorkspaces(REPOSITORY);
let published: Record<string, DryRun>;
let log: string[];

beforeAll(async () => {
  const { stdout, stderr } = await run(
    'npm',
    [
      'publish',
      '--dry-run',
      '--json',
      // The registry is not asked whether the version exists yet: the check runs on machines without it.
      '--offline',
      `--registry=${REGISTRY}`,
      `--@va:registry=${REGISTRY}`,
      // A dry run asks for no login but warns without one; a placeholder token (never sent) keeps that
      // warning, which says nothing about the packages, out of the check.
      `--${REGISTRY.replace(/^https:/, '')}:_authToken=dry-run-placeholder`,
      ...workspaces.flatMap(({ folder }) => ['--workspace', folder]),
    ],
    { cwd: REPOSITORY, timeout: 120_000, maxBuffer: 64 * 2 ** 20 },
  );
  published = JSON.parse(stdout) as Record<string, DryRun>;
  log = stderr.split('\n').filter((line) => line !== '');
}, 120_000);

describe('npm publish --dry-run of the public packages', () => {
  it('publishes every public package, with public access and not one warning', () => {
    expect(Object.keys(published).sort()).toEqual(workspaces.map(({ manifest }) => manifest.name).sort());
    expect(log.length).toBeGreaterThan(0);
    for (const line of log) {
      expect(line).toBe(`npm notice Publishing to ${REGISTRY} with tag latest and public access (dry-run)`);
    }
  });

  it.each(workspaces.map(({ folder, manifest }) => [manifest.name, folder]))(
    '%s: its README, the license, the package.json, and only dist/ and src/ besides',
    (name, folder) => {
      const paths = published[name]!.files.map(({ path }) => path);
      expect(paths).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json']));
      expect(paths.filter((path) => !/^(dist|src)\//.test(path)).sort()).toEqual([
        'LICENSE',
        'README.md',
        'package.json',
      ]);
      expect(readFileSync(join(REPOSITORY, folder, 'LICENSE'), 'utf8')).toBe(
        readFileSync(join(REPOSITORY, 'LICENSE'), 'utf8'),
      );
    },
  );

  it.each(workspaces.map(({ folder, manifest }) => [manifest.name, folder]))(
    '%s: every source map in the tarball names sources that are in it too',
    (name, folder) => {
      const paths = new Set(published[name]!.files.map(({ path }) => path));
      const maps = [...paths].filter((path) => path.endsWith('.map'));
      expect(maps.length).toBeGreaterThan(0);
      const missing = maps.flatMap((map) => {
        const { sources } = JSON.parse(readFileSync(join(REPOSITORY, folder, map), 'utf8')) as {
          sources: string[];
        };
        return sources
          .map((source) => posix.normalize(posix.join(dirname(map), source)))
          .filter((source) => !paths.has(source));
      });
      expect(missing).toEqual([]);
    },
  );
});
