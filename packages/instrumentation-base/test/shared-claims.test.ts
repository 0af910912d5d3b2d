import { describe, expect, it } from 'vitest';
import { sharedClaims } from '../src/index.js';

describe('sharedClaims', () => {
  it('gives each object to its first claimant only, across every claim made with the same key', () => {
    const first = sharedClaims('@va/instrumentation-base.test-claims');
    const second = sharedClaims('@va/instrumentation-base.test-claims');
    const other = sharedClaims('@va/instrumentation-base.other-claims');
    const session = {};
    expect(first(session)).toBe(true);
    expect(first(session)).toBe(false);
    expect(second(session)).toBe(false);
    expect(other(session)).toBe(true);
    expect(second({})).toBe(true);
  });
});
