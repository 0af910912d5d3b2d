import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { installApp } from '@va/test-metrics/installed-app';

/** `@openai/agents-realtime` needs openai ^7 (Node 22 or newer) and zod 4. */
export const AGENTS_REALTIME_RUNS = Number(process.versions.node.split('.')[0]) >= 22;

/** Why the suite does not run here, for its title. */
export const AGENTS_REALTIME_SKIPPED = AGENTS_REALTIME_RUNS
  ? ''
  : ` (skipped: @openai/agents-realtime needs Node 22 or newer, for openai 7; this is Node ${process.versions.node})`;

// Installed where it runs, as openai 7 is (see openai-majors.ts): a dev dependency would make the
// monorepo's `npm install` warn on the Node 20 it supports. Pinned, as the lockfile pins the others.
const AGENTS_REALTIME = '0.20.0';
const ZOD = '4.6.7';

// biome-ignore lint/suspicious/noExplicitAny: the package is loaded from an app outside the monorepo, untyped here.
export type AnyModule = any;

export interface AgentsRealtime {
  /** The CommonJS exports, as `require('@openai/agents-realtime')` gives them to an app. */
  readonly exports: AnyModule;
  /** The app's zod, for tool parameters. */
  readonly z: AnyModule;
}

function installed(): string {
  return installApp('agents-realtime', { '@openai/agents-realtime': AGENTS_REALTIME, zod: ZOD }).directory;
}

export function loadAgentsRealtime(): AgentsRealtime {
  const load = createRequire(join(installed(), 'package.json'));
  return { exports: load('@openai/agents-realtime'), z: load('zod').z };
}

/** The ES module namespace, as `import * from '@openai/agents-realtime'` gives it to an app. */
export async function importAgentsRealtime(): Promise<AnyModule> {
  const entry = join(installed(), 'node_modules', '@openai', 'agents-realtime', 'dist', 'index.mjs');
  return await import(pathToFileURL(entry).href);
}
