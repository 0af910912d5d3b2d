// vitest's global setup: packs every public package once (`npm pack`, from the dist folders turbo
// built before this package's tests) and hands the tarballs to every test file through `inject`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type PackedPackage, packPublicPackages } from '@va/test-metrics/tarballs';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    packed: Record<string, PackedPackage>;
  }
}

const REPOSITORY = fileURLToPath(new URL('../../../..', import.meta.url));

export default function setup(project: TestProject): () => void {
  const destination = mkdtempSync(join(tmpdir(), 'va-tarball-tests-'));
  project.provide('packed', Object.fromEntries(packPublicPackages(REPOSITORY, destination)));
  return () => rmSync(destination, { recursive: true, force: true });
}
