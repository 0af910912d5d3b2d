import { describe, expect, it } from 'vitest';
import { errorTypeOf } from '../src/error-type.js';

class ToolTimeoutError extends Error {}
class RateLimitError extends Error {
  readonly status = 429;
}

describe('errorTypeOf: error.type in one order for every package', () => {
  it("the package's own reading comes first, when it has one", () => {
    const sqlState = (error: object) => (error as { code?: string }).code;
    expect(errorTypeOf(Object.assign(new RateLimitError(), { code: '40P01' }), sqlState)).toBe('40P01');
    expect(errorTypeOf(new RateLimitError(), sqlState)).toBe('429');
    expect(errorTypeOf('a string', () => 'never asked')).toBe('_OTHER');
  });

  it('then an HTTP status code, when the error carries one as a number from 100 to 599', () => {
    expect(errorTypeOf(new RateLimitError())).toBe('429');
    expect(errorTypeOf({ status: 503 })).toBe('503');
    expect(errorTypeOf(Object.assign(new Error('x'), { status: 42 }))).toBe('Error');
    expect(errorTypeOf(Object.assign(new Error('x'), { status: 600 }))).toBe('Error');
    expect(errorTypeOf(Object.assign(new Error('x'), { status: '500' }))).toBe('Error');
  });

  it("then a DOMException's name, its numeric code never", () => {
    expect(errorTypeOf(new DOMException('aborted', 'AbortError'))).toBe('AbortError');
    expect(errorTypeOf(new DOMException('timed out', 'TimeoutError'))).toBe('TimeoutError');
  });

  it('then the class name, or the name an anonymous class inherits', () => {
    expect(errorTypeOf(new TypeError('x'))).toBe('TypeError');
    expect(errorTypeOf(new ToolTimeoutError('x'))).toBe('ToolTimeoutError');
    expect(errorTypeOf(new (class extends RangeError {})('x'))).toBe('RangeError');
    expect(errorTypeOf({ name: 'ParsedError', message: 'from JSON' })).toBe('ParsedError');
  });

  it('else _OTHER, and never the message', () => {
    expect(
      ['boom', null, undefined, 42, {}, { message: 'plain' }, Object.create(null)].map((error) =>
        errorTypeOf(error),
      ),
    ).toEqual(['_OTHER', '_OTHER', '_OTHER', '_OTHER', '_OTHER', '_OTHER', '_OTHER']);
    expect(errorTypeOf({ constructor: { name: '' } })).toBe('_OTHER');
  });
});
