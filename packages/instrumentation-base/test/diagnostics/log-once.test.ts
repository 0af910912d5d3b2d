import { diag } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogOnce } from '../../src/diagnostics/log-once.js';
import { REMEMBERED_KEYS_LIMIT } from '../../src/diagnostics/remembered-keys.js';
import { captureDiag, throwingDiag } from './diag-calls.js';

afterEach(() => diag.disable());

describe('createLogOnce', () => {
  it('logs the first message of each key at its level; the same key again is silent', () => {
    const calls = captureDiag();
    const warnOnce = createLogOnce('warn');
    warnOnce('A', 'first about A');
    warnOnce('A', 'second about A');
    warnOnce('B', 'first about B');
    expect(calls).toEqual([
      ['warn', 'first about A'],
      ['warn', 'first about B'],
    ]);
  });

  it('logs through the logger it is given, at the level it is given', () => {
    const calls = captureDiag();
    const debugOnce = createLogOnce('debug', diag.createComponentLogger({ namespace: '@va/test' }));
    debugOnce('A', 'about A');
    debugOnce('A', 'about A');
    expect(calls).toEqual([['debug', '@va/test', 'about A']]);
  });

  it('has a memory of its own: another logger says the same key again', () => {
    const calls = captureDiag();
    createLogOnce('warn')('A', 'one');
    createLogOnce('warn')('A', 'two');
    expect(calls.map((call) => call[1])).toEqual(['one', 'two']);
  });

  it(`remembers ${REMEMBERED_KEYS_LIMIT} keys; past them a new key is not logged`, () => {
    const calls = captureDiag();
    const warnOnce = createLogOnce('warn');
    for (let i = 0; i < REMEMBERED_KEYS_LIMIT + 50; i++) warnOnce(`model-${i}`, `model ${i}`);
    warnOnce('model-0', 'model 0 again');
    expect(calls).toHaveLength(REMEMBERED_KEYS_LIMIT);
    expect(calls.at(-1)).toEqual(['warn', `model ${REMEMBERED_KEYS_LIMIT - 1}`]);
  });

  it('never throws, even when the logger does', () => {
    throwingDiag();
    const warnOnce = createLogOnce('warn');
    expect(() => warnOnce('A', 'about A')).not.toThrow();
    expect(() => warnOnce('A', 'about A')).not.toThrow();
  });
});
