import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { installApp } from '@va/test-metrics/installed-app';

const require = createRequire(import.meta.url);

/** The `openai` majors this Node can run: 7 needs Node 22 or newer. */
export const OPENAI_MAJORS: readonly number[] =
  Number(process.versions.node.split('.')[0]) >= 22 ? [4, 5, 6, 7] : [4, 5, 6];

// openai 7 declares Node >= 22, so as a dev dependency it made `npm install` warn (EBADENGINE) on the
// Node 20 the monorepo supports. It is installed where it runs instead: under Node 22+, at test time,
// into an app outside the monorepo. Pinned, as the lockfile pins the other majors.
const OPENAI_7 = '7.55.0';
const WS_8 = '8.23.1';

/** `require` and the name that loads a major: 4 to 6 are dev dependencies under npm aliases. */
export function openAIResolver(major: number): { readonly require: NodeJS.Require; readonly name: string } {
  if (major !== 7) return { require, name: `openai${major}` };
  // `ws` is openai's optional peer for `openai/realtime/ws`, which an app that uses it installs.
  const { directory } = installApp('openai-7', { openai: OPENAI_7, ws: WS_8 });
  return { require: createRequire(join(directory, 'package.json')), name: 'openai' };
}

// biome-ignore lint/suspicious/noExplicitAny: each major has its own types; the suite drives them alike.
export type AnyOpenAI = any;

export interface OpenAIModule {
  readonly major: number;
  readonly version: string;
  // biome-ignore lint/suspicious/noExplicitAny: see AnyOpenAI.
  readonly exports: any;
  // biome-ignore lint/suspicious/noExplicitAny: see AnyOpenAI.
  readonly OpenAI: any;
  // biome-ignore lint/suspicious/noExplicitAny: see AnyOpenAI.
  readonly APIPromise: any;
}

export function loadOpenAI(major: number): OpenAIModule {
  const { require: load, name } = openAIResolver(major);
  const exports = load(name);
  const APIPromise =
    major === 4 ? load(`${name}/core`).APIPromise : load(`${name}/core/api-promise`).APIPromise;
  // openai's export map does not expose package.json; its entry point sits beside it.
  const manifest = JSON.parse(readFileSync(join(dirname(load.resolve(name)), 'package.json'), 'utf8'));
  return { major, version: manifest.version, exports, OpenAI: exports.OpenAI, APIPromise };
}
