#!/usr/bin/env node
// Builds the package in the current directory twice from the same sources:
// dist/esm (ES modules) and dist/cjs (CommonJS), each with its own .d.ts and a
// package.json marker so Node and TypeScript read each folder in the right module system.
// A package may exclude ESM-only files (import.meta) from the CommonJS pass with tsconfig.cjs.json.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
const cwd = process.cwd();

rmSync(join(cwd, 'dist'), { recursive: true, force: true });

function compile(project, outDir, module) {
  execFileSync(process.execPath, [tsc, '-p', project, '--outDir', outDir, '--module', module], {
    cwd,
    stdio: 'inherit',
  });
}

compile('tsconfig.json', 'dist/esm', 'esnext');
compile(
  existsSync(join(cwd, 'tsconfig.cjs.json')) ? 'tsconfig.cjs.json' : 'tsconfig.json',
  'dist/cjs',
  'commonjs',
);

for (const [folder, type] of [
  ['dist/esm', 'module'],
  ['dist/cjs', 'commonjs'],
]) {
  mkdirSync(join(cwd, folder), { recursive: true });
  writeFileSync(join(cwd, folder, 'package.json'), `${JSON.stringify({ type })}\n`);
}

// The build replaces dist, and with it the executable bit npm gave a package's `bin` files when it
// linked the workspace: without it `npx <bin>` fails in the clone after a rebuild.
const manifest = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'));
const bins = typeof manifest.bin === 'string' ? [manifest.bin] : Object.values(manifest.bin ?? {});
for (const bin of bins) {
  if (existsSync(join(cwd, bin))) chmodSync(join(cwd, bin), 0o755);
}
