// examples/livekit-agent, type-checked as a user builds it: its registry dependencies at the versions
// its package.json pins, our register from its tarball, in a cached app outside the monorepo (it is
// no workspace: LiveKit's some 170 packages stay out of the monorepo's install). No LiveKit server
// runs here, so the agent itself is never started; the instrumentation is tested against a real
// AgentSession in @va/instrumentation-livekit.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { installUserApp, ourInstalledPackages, type UserApp } from './support/user-app.js';

const EXAMPLE = fileURLToPath(new URL('../../../examples/livekit-agent/', import.meta.url));
/** What a user copies: the example's tracked files, never a local build or install of it. */
const EXAMPLE_FILES = ['package.json', 'tsconfig.json', 'agent.ts'];

const manifest = JSON.parse(readFileSync(join(EXAMPLE, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const pinned = { ...manifest.dependencies, ...manifest.devDependencies };
const ours = Object.keys(pinned).filter((name) => name.startsWith('@va/'));
const registryDependencies = Object.fromEntries(
  Object.entries(pinned).filter(([name]) => !name.startsWith('@va/')),
);

describe('examples/livekit-agent, its pinned dependencies and our register installed in a fresh app outside the monorepo', () => {
  let installed: UserApp | undefined;
  let folder = '';
  beforeAll(() => {
    installed = installUserApp('@va/otel-register', registryDependencies, 'example-livekit-agent');
    // A folder of the app's own: the example's package.json (an ES module package) above its files,
    // its dependencies found in the app's node_modules.
    folder = join(installed.directory, 'example');
    mkdirSync(folder, { recursive: true });
    for (const file of EXAMPLE_FILES) copyFileSync(join(EXAMPLE, file), join(folder, file));
  });

  it('needs the register alone of ours, at exact versions of everything else, and its code imports nothing of ours', () => {
    expect(ours).toEqual(['@va/otel-register']);
    for (const version of Object.values(registryDependencies)) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(readFileSync(join(EXAMPLE, 'agent.ts'), 'utf8')).not.toMatch(/from '@va\//);
  });

  it('has the register and its @va dependencies from our tarballs, once each, and nothing of ours from the registry', () => {
    expect(ourInstalledPackages(installed!)).toEqual(installed!.ours);
  });

  it('type-checks: tsc --noEmit -p . exits 0 and says nothing', () => {
    const tsc = join(installed!.directory, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = spawnSync(process.execPath, [tsc, '--noEmit', '-p', '.'], {
      cwd: folder,
      encoding: 'utf8',
      timeout: 50_000,
    });
    expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({
      status: 0,
      stdout: '',
      stderr: '',
    });
  });
});
