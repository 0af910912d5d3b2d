// A user's app for one public package: a fresh folder outside the monorepo with that package's
// tarball, the tarballs of its own @va dependencies and nothing else of ours, plus the registry
// dependencies its README's example needs; the fixture files of ../app copied in.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { installApp } from '@va/test-metrics/installed-app';
import { tarballsFor } from '@va/test-metrics/tarballs';
import { inject } from 'vitest';

const APP_FILES = fileURLToPath(new URL('../app', import.meta.url));
const run = promisify(execFile);

/** Versions of the monorepo's lockfile, so that CI's npm cache already holds them. */
export const REGISTRY = {
  api: { '@opentelemetry/api': '1.9.1' },
  sdkMetrics: { '@opentelemetry/sdk-metrics': '2.12.1' },
  resources: { '@opentelemetry/resources': '2.12.1' },
  openai: { openai: '6.49.0' },
  anthropic: { '@anthropic-ai/sdk': '1.17.0' },
  googleGenAI: { '@google/genai': '2.32.0' },
  // The AI SDK's last major with a CommonJS build, and its OpenAI provider.
  aiSdk: { ai: '6.0.333', '@ai-sdk/openai': '3.0.141' },
  // Not in the lockfile (see @va/instrumentation-livekit's tests): pinned as its tests pin them.
  livekit: { '@livekit/agents': '1.9.0', '@livekit/agents-plugin-openai': '1.9.0' },
} as const;

export interface UserApp {
  readonly directory: string;
  /** The @va packages installed from tarballs, the package's own and those it needs: name → tarball file. */
  readonly ours: Readonly<Record<string, string>>;
}

/** `app` names the cached install: one of its own for an app that is not the package's README example. */
export function installUserApp(
  name: string,
  registryDependencies: Record<string, string>,
  app = `user-app-${name.replace('@va/', '')}`,
): UserApp {
  const packed = new Map(Object.entries(inject('packed')));
  const tarballs = tarballsFor([name], packed);
  const { directory } = installApp(app, registryDependencies, {
    tarballs,
    files: APP_FILES,
  });
  const ours = [...packed.values()].filter(({ tarball }) => tarballs.includes(tarball));
  return { directory, ours: Object.fromEntries(ours.map((found) => [found.name, basename(found.tarball)])) };
}

/**
 * Every @va package the app's install placed, at any depth of node_modules, with the tarball it came
 * from (package-lock.json's `resolved`): one from the registry would show its URL instead. Packages
 * nested under one of ours (its own copy of a dependency another package pins differently) are not ours.
 */
export function ourInstalledPackages(app: UserApp): Record<string, string> {
  const lock = JSON.parse(readFileSync(join(app.directory, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { resolved?: string }>;
  };
  return Object.fromEntries(
    Object.entries(lock.packages)
      .filter(([path]) => /(^|\/)node_modules\/@va\/[^/]+$/.test(path))
      .map(([path, { resolved }]) => [
        path.replace(/^node_modules\//, ''),
        resolved?.startsWith('file:') ? basename(resolved) : String(resolved),
      ]),
  );
}

/**
 * `node <args>` in the app's folder, until the process exits by itself (bounded: a handle of ours
 * that held it open would time out); its stdout's last line as JSON.
 */
export async function runInApp(
  app: UserApp,
  args: readonly string[],
  environment: Record<string, string> = {},
): Promise<unknown> {
  const { stdout } = await run(process.execPath, args, {
    cwd: app.directory,
    env: { PATH: process.env.PATH ?? '', ...environment },
    timeout: 20_000,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}
