#!/usr/bin/env node
// Adds to package-lock.json the entries npm left out for other platforms' optional packages
// (turbo's and biome's per-OS binaries). npm on some machines does not record them (npm/cli#4828,
// npm/cli#8320), and `npm ci` then refuses the lockfile on every machine ("Missing: … from lock
// file"). Each added entry carries the registry's integrity, os and cpu where the registry serves
// the manifest, else the os and cpu its name states; npm skips it on platforms it does not fit. Run after changing dependencies: `npm run lockfile`,
// then `npm install` (which keeps the entries and puts their fields in its own order).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;

/** Where npm would look for `name` required from the package at `from` (nested first, then hoisted). */
function resolves(from, name) {
  let base = from;
  for (;;) {
    const candidate = base === '' ? `node_modules/${name}` : `${base}/node_modules/${name}`;
    if (packages[candidate] !== undefined) return true;
    if (base === '') return false;
    const index = base.lastIndexOf('node_modules/');
    base = index <= 0 ? '' : base.slice(0, index - 1);
  }
}

/**
 * The platform a binary package is for, read from its name (`@turbo/darwin-arm64`,
 * `@biomejs/cli-linux-x64-musl`): this machine's registry serves only its own platform's binaries,
 * so their manifests cannot be asked for. npm reads these fields to skip the package elsewhere.
 */
function platformOf(name) {
  const os = [
    ['darwin', 'darwin'],
    ['win32', 'win32'],
    ['windows', 'win32'],
    ['linux', 'linux'],
    ['android', 'android'],
    ['freebsd', 'freebsd'],
  ].find(([word]) => name.includes(word))?.[1];
  const cpu = /arm64|aarch64/.test(name) ? 'arm64' : /x64|-64\b/.test(name) ? 'x64' : undefined;
  if (os === undefined || cpu === undefined) return undefined;
  const libc = name.includes('musl') ? ['musl'] : undefined;
  return { os: [os], cpu: [cpu], ...(libc && { libc }) };
}

function manifestOf(name, version) {
  try {
    const output = execFileSync('npm', ['view', `${name}@${version}`, '--json'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const manifest = JSON.parse(output);
    return Array.isArray(manifest) ? manifest.at(-1) : manifest;
  } catch {
    return undefined;
  }
}

let added = 0;
for (const [location, entry] of Object.entries({ ...packages })) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    if (resolves(location, name)) continue;
    const manifest = manifestOf(name, version);
    const platform = manifest ?? platformOf(name);
    if (platform === undefined) throw new Error(`cannot tell the platform of ${name}@${version}`);
    const record = { version: manifest?.version ?? version };
    if (manifest?.dist?.integrity) record.integrity = manifest.dist.integrity;
    if (entry.dev) record.dev = true;
    record.optional = true;
    for (const field of ['license', 'cpu', 'os', 'libc', 'engines']) {
      if (platform[field] !== undefined) record[field] = platform[field];
    }
    packages[`node_modules/${name}`] = record;
    added++;
    console.log(
      `added ${name}@${record.version} (${record.os}/${record.cpu}${manifest ? '' : ', from its name'})`,
    );
  }
}
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`${added} entr${added === 1 ? 'y' : 'ies'} added`);
