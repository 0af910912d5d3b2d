import { describe, expect, it } from 'vitest';
import { CANCELED, errorTypeOf } from '../src/index.js';

/** The shape of the Vercel AI SDK's APICallError (@ai-sdk/provider), without the package. */
class APICallError extends Error {
  override readonly name = 'AI_APICallError';
  constructor(readonly statusCode: number | undefined) {
    super('Too Many Requests');
  }
}

describe('errorTypeOf', () => {
  it("reads the status code of the AI SDK's APICallError, which names it statusCode", () => {
    expect(errorTypeOf(new APICallError(429))).toBe('429');
    expect(errorTypeOf(new APICallError(529))).toBe('529');
  });

  it('falls back to the class name when an APICallError carries no status (the connection failed)', () => {
    expect(errorTypeOf(new APICallError(undefined))).toBe('APICallError');
  });

  it('reads statusCode on AI SDK errors only', () => {
    expect(errorTypeOf(Object.assign(new TypeError('x'), { statusCode: 500 }))).toBe('TypeError');
  });

  it('keeps cancellations and the Stainless clients as they were', () => {
    expect(errorTypeOf(new DOMException('aborted', 'AbortError'))).toBe(CANCELED);
    expect(errorTypeOf(Object.assign(new Error('x'), { status: 503 }))).toBe('503');
  });
});
