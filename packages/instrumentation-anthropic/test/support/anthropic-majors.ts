import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * The `@anthropic-ai/sdk` lines the suite runs: 0.x (the oldest version we support, 0.39.0, under the npm
 * alias `anthropic0`) and 1.x (the package itself).
 */
export const ANTHROPIC_MAJORS: readonly number[] = [0, 1];

// biome-ignore lint/suspicious/noExplicitAny: each major has its own types; the suite drives them alike.
export type AnyAnthropic = any;

export interface AnthropicModule {
  readonly major: number;
  readonly name: string;
  readonly version: string;
  // biome-ignore lint/suspicious/noExplicitAny: see AnyAnthropic.
  readonly exports: any;
  // biome-ignore lint/suspicious/noExplicitAny: see AnyAnthropic.
  readonly Anthropic: any;
}

export function loadAnthropic(major: number): AnthropicModule {
  const name = major === 0 ? 'anthropic0' : '@anthropic-ai/sdk';
  const exports = require(name);
  // Neither line exports its package.json; its main file sits beside it.
  const manifest = join(dirname(require.resolve(name)), 'package.json');
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  return { major, name, version, exports, Anthropic: exports.Anthropic ?? exports.default ?? exports };
}
