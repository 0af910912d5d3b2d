import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The `openai` majors this Node can run: 7 needs Node 22 or newer. */
export const OPENAI_MAJORS: readonly number[] =
  Number(process.versions.node.split('.')[0]) >= 22 ? [4, 5, 6, 7] : [4, 5, 6];

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

/** Each major is installed under an npm alias (`openai4` … `openai7`). */
export function loadOpenAI(major: number): OpenAIModule {
  const name = `openai${major}`;
  const exports = require(name);
  const APIPromise =
    major === 4 ? require(`${name}/core`).APIPromise : require(`${name}/core/api-promise`).APIPromise;
  // openai's export map does not expose package.json; its entry point sits beside it.
  const manifest = JSON.parse(readFileSync(join(dirname(require.resolve(name)), 'package.json'), 'utf8'));
  return { major, version: manifest.version, exports, OpenAI: exports.OpenAI, APIPromise };
}
