import { describe, expect, it } from 'vitest';
import { versionInRange } from '../src/version-range.js';

const OPENAI = { minimum: '4.0.0', below: '8' };

describe('versionInRange', () => {
  it.each([
    ['4.0.0', true],
    ['4.104.0', true],
    ['7.9.12', true],
    ['3.99.99', false],
    ['8.0.0', false],
    ['8.0.0-beta.1', false],
    ['7.0.0-rc.2', true],
    ['v5.1', true],
    ['not a version', false],
  ])('%s in [4.0.0, 8): %s', (version, expected) => {
    expect(versionInRange(version, OPENAI)).toBe(expected);
  });

  it('is false for an unknown version', () => {
    expect(versionInRange(undefined, OPENAI)).toBe(false);
  });

  it('compares every part as a number', () => {
    expect(versionInRange('8.0.10', { minimum: '8.0.3', below: '9' })).toBe(true);
    expect(versionInRange('8.0.2', { minimum: '8.0.3', below: '9' })).toBe(false);
  });
});
