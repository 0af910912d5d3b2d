import { describe, expect, it } from 'vitest';
import { BufferPool } from '../src/buffer-pool.js';
import { BUFFER_SIZE, ExpositionWriter } from '../src/exposition-writer.js';

function text(writer: ExpositionWriter): string {
  return Buffer.concat(writer.finish()).toString('utf8');
}

describe('ExpositionWriter', () => {
  it('writes counts in decimal followed by a newline', () => {
    const writer = new ExpositionWriter();
    writer.reserve(200);
    for (const value of [0, 7, 10, 99, 100, 12345, 9007199254740991]) writer.countLine(value);
    expect(text(writer)).toBe('0\n7\n10\n99\n100\n12345\n9007199254740991\n');
  });

  it('copies earlier bytes of the current buffer, multi-byte characters included', () => {
    const writer = new ExpositionWriter();
    writer.reserve(100);
    const start = writer.position;
    writer.text('name{who="Zoë 语"');
    const end = writer.position;
    writer.bytes(new TextEncoder().encode('} '));
    writer.countLine(1);
    writer.copy(start, end);
    writer.bytes(new TextEncoder().encode('} '));
    writer.countLine(2);
    expect(text(writer)).toBe('name{who="Zoë 语"} 1\nname{who="Zoë 语"} 2\n');
  });

  it('moves on to a new buffer when a write does not fit, and counts every byte', () => {
    const writer = new ExpositionWriter(Buffer.alloc(8));
    writer.text('abc');
    const generation = writer.generation;
    writer.text('x'.repeat(300_000));
    expect(writer.generation).toBe(generation + 1);
    writer.text('é');
    expect(writer.length).toBe(3 + 300_000 + 2);
    const buffers = writer.finish();
    expect(buffers.map((buffer) => buffer.length)).toEqual([3, 300_002]);
  });

  it('returns no buffers when nothing was written', () => {
    expect(new ExpositionWriter().finish()).toEqual([]);
  });
});

describe('ExpositionWriter with a pool', () => {
  it('hands over full buffers while writing goes on, and returns unused ones to the pool', () => {
    const pool = new BufferPool(BUFFER_SIZE, 8);
    const writer = new ExpositionWriter(pool);
    const line = `${'x'.repeat(99)}\n`;
    for (let i = 0; i < 3000; i++) writer.text(line); // 300,000 bytes: more than one buffer
    const taken = writer.take();
    expect(taken).toHaveLength(1);
    expect(writer.take()).toEqual([]);
    const rest = writer.finish();
    const all = Buffer.concat([...taken, ...rest]);
    expect(all.length).toBe(300_000);
    expect(all.toString('latin1')).toBe(line.repeat(3000));
    for (const buffer of [...taken, ...rest]) pool.release(buffer);
    expect(pool.free).toBe(2);

    const empty = new ExpositionWriter(pool);
    expect(pool.free).toBe(1);
    expect(empty.finish()).toEqual([]);
    expect(pool.free).toBe(2);
  });
});
