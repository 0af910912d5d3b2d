// The share of speech-to-speech calls: a flag with a default that depends on the provider.

import { createRequire } from 'node:module';
import { expect, test } from 'vitest';

const { readSettings, UsageError } = createRequire(import.meta.url)('../src/args.js');

test('a quarter of the calls run speech-to-speech against the bundled server, none by default against a real API', () => {
  expect(readSettings([], {}).realtimeShare).toBe(0.25);
  expect(readSettings([], { OPENAI_API_KEY: 'sk-test' }).realtimeShare).toBe(0);
});

test('--realtime-share sets the share from 0 to 1, with either provider', () => {
  expect(readSettings(['--realtime-share', '0'], {}).realtimeShare).toBe(0);
  expect(readSettings(['--realtime-share', '1'], {}).realtimeShare).toBe(1);
  expect(readSettings(['--realtime-share', '0.5'], { OPENAI_API_KEY: 'sk-test' }).realtimeShare).toBe(0.5);
});

test.each(['', 'x', '-0.1', '1.5', 'NaN'])(
  '--realtime-share "%s" is a usage error naming the flag',
  (value) => {
    expect(() => readSettings([`--realtime-share=${value}`], {})).toThrow(UsageError);
    expect(() => readSettings([`--realtime-share=${value}`], {})).toThrow(
      `--realtime-share expects a number from 0 to 1, got "${value}"`,
    );
  },
);
