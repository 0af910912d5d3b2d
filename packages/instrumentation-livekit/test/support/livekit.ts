import { createRequire } from 'node:module';
import { join } from 'node:path';
import { installApp } from '@va/test-metrics/installed-app';

// @livekit/agents pulls some 170 packages with prebuilt native parts into an install, one of them with an
// install script npm 11 warns about: as a dev dependency it would add that to every `npm install` of the
// monorepo. It is installed where its tests run instead, outside the monorepo, as an app would. Pinned.
export const LIVEKIT_AGENTS_VERSION = '1.9.0';
const LIVEKIT_OPENAI_PLUGIN_VERSION = '1.9.0';

/** The app folder with `@livekit/agents` and its OpenAI plugin installed. */
export function livekitApp(): string {
  return installApp('livekit-agents', {
    '@livekit/agents': LIVEKIT_AGENTS_VERSION,
    '@livekit/agents-plugin-openai': LIVEKIT_OPENAI_PLUGIN_VERSION,
  }).directory;
}

/** `require` from inside that app: the CommonJS build of its packages. */
export function livekitRequire(): NodeJS.Require {
  return createRequire(join(livekitApp(), 'package.json'));
}

// biome-ignore lint/suspicious/noExplicitAny: the package is loaded at run time, outside the type-checked tree.
export type LiveKit = any;

/** `@livekit/agents` (CommonJS), its logger initialised silent as an app's CLI would. */
export function loadLiveKit(): { agents: LiveKit; openai: LiveKit } {
  const load = livekitRequire();
  const agents = load('@livekit/agents');
  agents.initializeLogger({ pretty: false, level: 'silent' });
  return { agents, openai: load('@livekit/agents-plugin-openai') };
}
