import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../src/index.js';

it("keeps the package's name and version equal to package.json's", () => {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  expect([PACKAGE_NAME, PACKAGE_VERSION]).toEqual([manifest.name, manifest.version]);
});
