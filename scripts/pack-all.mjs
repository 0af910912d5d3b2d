#!/usr/bin/env node
// `npm run pack:all [-- <package>…]`: packs every public package (`npm pack`, from the dist folders
// the npm script has just built) into ./tarballs and prints the `npm install` line a user runs in
// their own app. Until the packages are on the registry, a line names the tarball of each package
// asked for and those of every @va package it needs, transitively: npm then never asks the registry
// for an @va name. Without names, one line per package; with names, one line for all of them.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packPublicPackages, tarballsFor } from '@va/test-metrics/tarballs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DESTINATION = join(ROOT, 'tarballs');

const installLine = (tarballs) => `npm install ${tarballs.join(' ')}`;

const asked = process.argv.slice(2);
rmSync(DESTINATION, { recursive: true, force: true });
const packed = packPublicPackages(ROOT, DESTINATION);

let lines;
try {
  lines =
    asked.length > 0
      ? [installLine(tarballsFor(asked, packed))]
      : [...packed.keys()]
          .sort()
          .flatMap((name) => [`${name}:`, `  ${installLine(tarballsFor([name], packed))}`]);
} catch (error) {
  console.error(`pack-all: ${error.message}`);
  process.exit(2);
}
console.log(`Packed ${packed.size} packages into ${DESTINATION}. In your own app, run:\n`);
console.log(lines.join('\n'));
