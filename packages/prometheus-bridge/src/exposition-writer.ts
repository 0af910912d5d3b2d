// Builds the exposition as UTF-8 bytes in a few large Buffers rather than as a JavaScript string.
//
// Why: a 10,000-series histogram scrape is tens of MB in ~170,000 lines that differ only in their `le` and
// count. Built with string concatenation, V8 keeps it as a tree of string pieces, several per line;
// flattening that tree and encoding it for the socket is slow, most of it garbage collection and tree
// walking. Here a series' `name_bucket{labels` bytes are written once and
// copied (memmove) for each further bucket line, `le` tails are pre-encoded, and counts are written as
// digits (claim/advance: straight into the buffer, without a call and a bounds check per piece), in
// memory outside the V8 heap that garbage collection never copies.
// With a BufferPool the buffers come from (and, once consumed, go back to) a pool, and the consumer can
// take the full ones while writing goes on (stream them, decode them), so memory stays bounded.

import { BufferPool } from './buffer-pool.js';

/**
 * Size of the buffers the writer allocates itself (and of the bridge's pooled buffers). Each full buffer is
 * one write to the socket or to gzip, and gzip's per-write work runs on the main thread: smaller buffers
 * (256 KiB) meant four times the writes, and the main thread's share of gzip grew with them.
 */
export const BUFFER_SIZE = 1 << 20;
const NEWLINE = 10;
const ZERO = 48;

/**
 * Writes an ASCII string (a formatted number) at `at`; returns the offset after it. The caller makes sure it
 * fits. A loop: for strings this short it beats a call into Buffer#write.
 */
export function putAscii(buffer: Uint8Array, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) buffer[at + i] = text.charCodeAt(i);
  return at + text.length;
}

/**
 * Writes a non-negative safe integer in decimal (at most 16 digits), then a newline, at `at`; returns the
 * offset after the newline. The caller makes sure 17 bytes fit.
 */
export function putCountLine(buffer: Uint8Array, at: number, value: number): number {
  if (value < 10) {
    buffer[at] = ZERO + value;
    buffer[at + 1] = NEWLINE;
    return at + 2;
  }
  let digits = 1;
  for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  const end = at + digits;
  for (let i = end - 1, rest = value; i >= at; i--, rest = Math.floor(rest / 10))
    buffer[i] = ZERO + (rest % 10);
  buffer[end] = NEWLINE;
  return end + 1;
}

export class ExpositionWriter {
  /** Bytes written so far. */
  length = 0;
  /**
   * Whether every byte written so far is ASCII (then latin1 decoding, a plain copy, gives the same string
   * as UTF-8 decoding, which must validate). Pre-encoded bytes passed to {@link bytes} must be ASCII.
   */
  ascii = true;
  private _buffers: Buffer[] = [];
  private _buffer: Buffer;
  private _offset = 0;
  private readonly _pool: BufferPool | undefined;

  /**
   * @param source the buffer to write into first (e.g. one kept from a previous render), or a pool to take
   * every buffer from; by default new buffers.
   */
  constructor(source?: Buffer | BufferPool) {
    if (source === undefined || source instanceof BufferPool) {
      this._pool = source;
      this._buffer = this._newBuffer(BUFFER_SIZE);
    } else {
      this._buffer = source;
    }
    this.firstBuffer = this._buffer;
  }

  /** The whole buffer written into first (to reuse once the result has been consumed). */
  readonly firstBuffer: Buffer;

  /** Makes sure the next `bytes` bytes fit in the current buffer, moving on to a new buffer if not. */
  reserve(bytes: number): void {
    if (this._offset + bytes <= this._buffer.length) return;
    this._seal();
    this._buffer = this._newBuffer(bytes);
  }

  /**
   * Direct writing, for a run of bytes whose size is bounded in advance (a histogram series): reserves
   * `bytes` and returns the buffer to write them into from {@link position} on; {@link advance} then takes
   * them. Between the two, nothing else may be written.
   */
  claim(bytes: number): Buffer {
    this.reserve(bytes);
    return this._buffer;
  }

  /** Where direct writing into the buffer from {@link claim} starts. */
  get position(): number {
    return this._offset;
  }

  /**
   * Takes the bytes written directly into the buffer from {@link claim}, up to `end` (at most the bytes
   * claimed); `ascii: false` if any of them is not ASCII.
   */
  advance(end: number, ascii: boolean): void {
    this.length += end - this._offset;
    this._offset = end;
    if (!ascii) this.ascii = false;
  }

  /** Writes a string as UTF-8. Reserves room itself (at most 3 bytes per UTF-16 code unit). */
  text(text: string): void {
    this.reserve(text.length * 3);
    const written = this._buffer.write(text, this._offset, 'utf8');
    if (written !== text.length) this.ascii = false;
    this._offset += written;
    this.length += written;
  }

  /** Writes pre-encoded ASCII bytes (names, `le` tails). */
  bytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this._buffer.set(bytes, this._offset);
    this._offset += bytes.length;
    this.length += bytes.length;
  }

  /**
   * The buffers filled since the last call, in order: writing has moved on from them, so they can be
   * consumed (sent, decoded) and released while writing goes on.
   */
  take(): Buffer[] {
    const full = this._buffers;
    this._buffers = [];
    return full;
  }

  /** The bytes written and not yet taken, in order. The writer must not be used afterwards. */
  finish(): Buffer[] {
    this._seal();
    return this.take();
  }

  private _seal(): void {
    if (this._offset > 0) this._buffers.push(this._buffer.subarray(0, this._offset));
    else this._pool?.release(this._buffer); // nothing written into it: straight back
    this._offset = 0;
  }

  private _newBuffer(bytes: number): Buffer {
    const pool = this._pool;
    if (pool !== undefined && bytes <= pool.size) return pool.acquire();
    return Buffer.allocUnsafe(Math.max(BUFFER_SIZE, bytes));
  }
}
