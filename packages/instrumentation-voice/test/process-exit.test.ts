import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const PACKAGE = fileURLToPath(new URL('..', import.meta.url));

/** A tracker with an open turn and an open session, built from dist as an app would load it. */
const APP = `
  const tracker = createVoiceTracker({ agentName: 'support-agent', turnTimeoutMs: 3_600_000 });
  const session = tracker.startSession();
  session.startTurn().mark('user_speech_end');
  tracker.startTurn().mark('user_speech_end');
  console.log('open turns: ' + tracker.openTurns);
`;

/**
 * Runs the app in a child process and times it. A timer of ours that kept the process alive would
 * hold it for the sweep period (30 minutes here); the child is killed after 10 s instead.
 */
async function run(args: string[]): Promise<{ stdout: string; seconds: number }> {
  const started = performance.now();
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: PACKAGE, timeout: 10_000 });
  return { stdout: stdout.trim(), seconds: (performance.now() - started) / 1000 };
}

describe('a process with open turns', () => {
  it('exits by itself (CommonJS)', async () => {
    const { stdout, seconds } = await run([
      '-e',
      `const { createVoiceTracker } = require('./dist/cjs/index.js');${APP}`,
    ]);
    expect(stdout).toBe('open turns: 2');
    expect(seconds).toBeLessThan(5);
  });

  it('exits by itself (ES modules)', async () => {
    const { stdout, seconds } = await run([
      '--input-type=module',
      '-e',
      `import { createVoiceTracker } from './dist/esm/index.js';${APP}`,
    ]);
    expect(stdout).toBe('open turns: 2');
    expect(seconds).toBeLessThan(5);
  });
});
