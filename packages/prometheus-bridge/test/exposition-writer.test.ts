import { describe, expect, it } from 'vitest';
import { BufferPool } from '../src/buffer-pool.js';
import { BUFFER_SIZE, ExpositionWriter, putAscii, putCountLine } from '../src/exposition-writer.js';

function text(writer: ExpositionWriter): string {
  return Buffer.concat(writer.finish()).toString('utf8');
}

describe('ExpositionWriter', () => {
  it('writes counts in decimal followed by a newline', () => {
    const writer = new ExpositionWriter();
    const buffer = writer.claim(200);
    let at = writer.position;
    for (const value of [0, 7, 10, 99, 100, 12345, 9007199254740991]) at = putCountLine(buffer, at, value);
    writer.advance(at, true);
    expect(text(writer)).toBe('0\n7\n10\n99\n100\n12345\n9007199254740991\n');
  });

  it('takes what was written directly into a claimed buffer, multi-byte characters included', () => {
    const writer = new ExpositionWriter();
    writer.text('a ');
    const buffer = writer.claim(100);
    let at = writer.position;
    at += buffer.write('name{who="Zoë 语"} ', at, 'utf8');
    at = putAscii(buffer, at, '1.5e-7');
    buffer[at++] = 10;
    writer.advance(at, false);
    writer.text('b\n');
    expect(writer.ascii).toBe(false);
    expect(writer.length).toBe(Buffer.byteLength('a name{who="Zoë 语"} 1.5e-7\nb\n'));
    expect(text(writer)).toBe('a name{who="Zoë 语"} 1.5e-7\nb\n');
  });

  it('moves on to a new buffer when a claim does not fit in the current one', () => {
    const writer = new ExpositionWriter(Buffer.alloc(8));
    writer.bytes(new TextEncoder().encode('abc'));
    const buffer = writer.claim(6);
    expect(writer.position).toBe(0);
    buffer.write('defghi', 0, 'latin1');
    writer.advance(6, true);
    expect(writer.ascii).toBe(true);
    expect(writer.finish().map((part) => part.toString('latin1'))).toEqual(['abc', 'defghi']);
  });

  it('moves on to a new buffer when a write does not fit, and counts every byte', () => {
    const writer = new ExpositionWriter(Buffer.alloc(8));
    writer.bytes(new TextEncoder().encode('abc'));
    const long = BUFFER_SIZE + 100;
    writer.text('x'.repeat(long));
    writer.text('é');
    expect(writer.length).toBe(3 + long + 2);
    const buffers = writer.finish();
    expect(buffers.map((buffer) => buffer.length)).toEqual([3, long + 2]);
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
    const lines = Math.ceil((BUFFER_SIZE * 1.2) / 100); // more than one buffer, less than two
    for (let i = 0; i < lines; i++) writer.text(line);
    const taken = writer.take();
    expect(taken).toHaveLength(1);
    expect(writer.take()).toEqual([]);
    const rest = writer.finish();
    const all = Buffer.concat([...taken, ...rest]);
    expect(all.length).toBe(lines * 100);
    expect(all.toString('latin1')).toBe(line.repeat(lines));
    for (const buffer of [...taken, ...rest]) pool.release(buffer);
    expect(pool.free).toBe(2);

    const empty = new ExpositionWriter(pool);
    expect(pool.free).toBe(1);
    expect(empty.finish()).toEqual([]);
    expect(pool.free).toBe(2);
  });
});
