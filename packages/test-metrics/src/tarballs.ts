import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** A public package of the monorepo, packed by `npm pack` as a user installs it. */
export interface PackedPackage {
  readonly name: string;
  readonly version: string;
  /** The absolute path of its `.tgz`. */
  readonly tarball: string;
  /** The public packages of ours it depends on (dependencies, optional and peer), directly. */
  readonly ourDependencies: readonly string[];
}

interface Manifest {
  readonly name: string;
  readonly private?: boolean;
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
}

/** The folders under packages/ whose package.json is not `"private": true`: what we publish. */
export function publicWorkspaces(root: string): { folder: string; manifest: Manifest }[] {
  return readdirSync(join(root, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) => {
      const folder = join('packages', entry.name);
      let manifest: Manifest;
      try {
        manifest = JSON.parse(readFileSync(join(root, folder, 'package.json'), 'utf8')) as Manifest;
      } catch {
        return [];
      }
      return manifest.private === true ? [] : [{ folder, manifest }];
    });
}

/**
 * Packs every public package of the monorepo at `root` into `destination` (one `npm pack` for all of
 * them; it packs what the packages' dist folders hold, so build first) and says, for each, its
 * tarball and the public packages of ours it needs.
 */
export function packPublicPackages(root: string, destination: string): Map<string, PackedPackage> {
  const workspaces = publicWorkspaces(root);
  const names = new Set(workspaces.map(({ manifest }) => manifest.name));
  mkdirSync(destination, { recursive: true });
  const output = execFileSync(
    'npm',
    [
      'pack',
      '--json',
      '--loglevel=error',
      '--pack-destination',
      resolve(destination),
      ...workspaces.flatMap(({ folder }) => ['--workspace', folder]),
    ],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 120_000 },
  );
  const packed = JSON.parse(output) as { name: string; version: string; filename: string }[];
  const manifests = new Map(workspaces.map(({ manifest }) => [manifest.name, manifest]));
  return new Map(
    packed.map(({ name, version, filename }) => {
      const manifest = manifests.get(name)!;
      const ourDependencies = Object.keys({
        ...manifest.dependencies,
        ...manifest.optionalDependencies,
        ...manifest.peerDependencies,
      })
        .filter((dependency) => names.has(dependency))
        .sort();
      return [name, { name, version, tarball: resolve(destination, filename), ourDependencies }];
    }),
  );
}

/**
 * The tarballs a user installs to get `names`: theirs and those of every package of ours they need,
 * transitively, so that npm never asks the registry for one of our names: those of `names` first, then
 * their dependencies by name. Throws on a name that is not a public package.
 */
export function tarballsFor(names: readonly string[], packed: ReadonlyMap<string, PackedPackage>): string[] {
  const needed = new Set<string>();
  const visit = (name: string): void => {
    const found = packed.get(name);
    if (found === undefined) {
      throw new Error(`${name} is not a public package; they are: ${[...packed.keys()].sort().join(', ')}`);
    }
    if (needed.has(name)) return;
    needed.add(name);
    for (const dependency of found.ourDependencies) visit(dependency);
  };
  for (const name of names) visit(name);
  const dependencies = [...needed].filter((name) => !names.includes(name)).sort();
  return [...new Set(names), ...dependencies].map((name) => packed.get(name)!.tarball);
}
