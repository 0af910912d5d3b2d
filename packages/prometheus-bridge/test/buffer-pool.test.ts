import { describe, expect, it } from 'vitest';
import { BufferPool } from '../src/buffer-pool.js';

describe('BufferPool', () => {
  it('hands out buffers of its size and takes them back, views of their start included', () => {
    const pool = new BufferPool(1024, 4);
    const first = pool.acquire();
    expect(first.length).toBe(1024);
    pool.release(first.subarray(0, 10));
    expect(pool.free).toBe(1);
    const again = pool.acquire();
    expect(again.buffer).toBe(first.buffer);
    expect(again.length).toBe(1024);
    expect(pool.free).toBe(0);
  });

  it('never hands out one buffer twice, even when it is released twice', () => {
    const pool = new BufferPool(1024, 4);
    const buffer = pool.acquire();
    pool.release(buffer);
    pool.release(buffer.subarray(0, 5));
    expect(pool.free).toBe(1);
    const a = pool.acquire();
    const b = pool.acquire();
    expect(a.buffer).not.toBe(b.buffer);
  });

  it('ignores buffers of other sizes and views that do not start at the beginning', () => {
    const pool = new BufferPool(1024, 4);
    pool.release(Buffer.allocUnsafe(2048));
    pool.release(pool.acquire().subarray(8));
    pool.release(Buffer.alloc(16)); // from node's shared pool: a view into a larger memory
    expect(pool.free).toBe(0);
  });

  it('keeps at most `limit` free buffers, and none after clear()', () => {
    const pool = new BufferPool(1024, 2);
    const buffers = [pool.acquire(), pool.acquire(), pool.acquire()];
    for (const buffer of buffers) pool.release(buffer);
    expect(pool.free).toBe(2);
    pool.clear();
    expect(pool.free).toBe(0);
    pool.release(buffers[0] as Buffer);
    expect(pool.free).toBe(1);
  });
});
