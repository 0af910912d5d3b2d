import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script without type declarations
import { listingDifferences, publicPackages, renderApiListing } from '../scripts/api-listing.mjs';

interface PublicPackage {
  name: string;
  listingPath: string;
  listingFile: string;
}

const packages: PublicPackage[] = publicPackages();
const FIX =
  'Run `npm run api` (it builds, then rewrites the listings), review the diff and commit it with the change.';

describe('public API listings (packages/<name>/api.md)', () => {
  it.each(packages.map((pkg) => [pkg.name, pkg] as const))(
    '%s exports what its listing says',
    (name, pkg) => {
      const listed = existsSync(pkg.listingPath) ? readFileSync(pkg.listingPath, 'utf8') : '';
      const built: string = renderApiListing(pkg);
      const differences: string[] = listingDifferences(listed, built);
      const summary =
        listed === ''
          ? `${name} has no API listing at ${pkg.listingFile}.`
          : `${name}: the public exports differ from ${pkg.listingFile}:\n  ${differences.join('\n  ') || 'the layout of the file'}`;
      expect(built, `${summary}\n${FIX}`).toBe(listed);
    },
  );

  it('has no listing for a package that is private or gone', () => {
    const listed = new Set(packages.map((pkg) => pkg.listingPath));
    const root = new URL('../../packages/', import.meta.url);
    const stale = readdirSync(root)
      .map((dir) => new URL(`${dir}/api.md`, root).pathname)
      .filter((path) => existsSync(path) && !listed.has(path));
    expect(stale, 'API listings of packages that are not published; delete them').toEqual([]);
  });
});
