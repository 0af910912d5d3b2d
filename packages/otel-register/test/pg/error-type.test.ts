import { describe, expect, it } from 'vitest';
import { errorTypeOf } from '../../src/pg/error-type.js';

class DatabaseError extends Error {
  constructor(readonly code: string) {
    super('from the server');
  }
}

describe('errorTypeOf', () => {
  it('is the SQLSTATE of a server error', () => {
    expect(errorTypeOf(new DatabaseError('42P01'))).toBe('42P01');
    expect(errorTypeOf(new DatabaseError('23505'))).toBe('23505');
  });

  it('is the class name when the code is not a SQLSTATE', () => {
    expect(errorTypeOf(new DatabaseError('ECONNREFUSED'))).toBe('DatabaseError');
    expect(errorTypeOf(new DatabaseError('42p01'))).toBe('DatabaseError');
    expect(errorTypeOf(new TypeError('bad'))).toBe('TypeError');
    expect(errorTypeOf(new Error('Client was closed and is not queryable'))).toBe('Error');
  });

  it("is the class name for Node's five-letter socket codes, which name a syscall", () => {
    const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE', syscall: 'write', errno: -32 });
    expect(errorTypeOf(epipe)).toBe('Error');
  });

  it('is _OTHER when there is nothing to go by', () => {
    expect(errorTypeOf(undefined)).toBe('_OTHER');
    expect(errorTypeOf('a string')).toBe('_OTHER');
    expect(errorTypeOf(Object.create(null))).toBe('_OTHER');
    expect(errorTypeOf({ constructor: { name: '' } })).toBe('_OTHER');
  });
});
