// Builds the exposition as UTF-8 bytes in a few large Buffers rather than as a JavaScript string.
//
// Why: a 10,000-series histogram scrape is ~37 MB in ~170,000 lines that differ only in their `le` and
// count. Built with string concatenation, V8 keeps it as a tree of ~500,000 string pieces; flattening
// that tree and encoding it for the socket measured 60–100 ms on our 2-core machine, most of it
// garbage collection and tree walking. Here a series' `name_bucket{labels` bytes are written once and
// copied (memmove) for each further bucket line, `le` tails are pre-encoded, and counts are written as
// digits: ~15 ms for the same scrape, in memory outside the V8 heap that garbage collection never copies.
// With a BufferPool the buffers come from (and, once consumed, go back to) a pool, and the consumer can
// take the full ones while writing goes on (stream them, decode them), so memory stays bounded.

import { BufferPool } from './buffer-pool.js';

/** Size of the buffers the writer allocates itself (and of the bridge's pooled buffers). */
export const BUFFER_SIZE = 1 << 18;
const NEWLINE = 10;
const ZERO = 48;

export class ExpositionWriter {
  /** Bytes written so far. */
  length = 0;
  /** Changes whenever writing moves on to a new buffer (positions taken before are then stale). */
  generation = 0;
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

  /** Write position in the current buffer; valid while {@link generation} does not change. */
  get position(): number {
    return this._offset;
  }

  /**
   * Makes sure the next `bytes` bytes fit in the current buffer, moving on to a new buffer if not. Reserving
   * all the bytes of a series first keeps the positions taken while writing it valid for {@link copy}.
   */
  reserve(bytes: number): void {
    if (this._offset + bytes <= this._buffer.length) return;
    this._seal();
    this._buffer = this._newBuffer(bytes);
    this.generation++;
  }

  /** Writes a string as UTF-8. Reserves room itself (at most 3 bytes per UTF-16 code unit). */
  text(text: string): void {
    this.reserve(text.length * 3);
    const written = this._buffer.write(text, this._offset, 'utf8');
    if (written !== text.length) this.ascii = false;
    this._offset += written;
    this.length += written;
  }

  /** Free bytes left in the current buffer. */
  get room(): number {
    return this._buffer.length - this._offset;
  }

  /** Writes pre-encoded ASCII bytes (names, `le` tails). */
  bytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this._buffer.set(bytes, this._offset);
    this._offset += bytes.length;
    this.length += bytes.length;
  }

  /**
   * Writes again the bytes between two positions taken in the current buffer (same {@link generation}).
   * The caller makes sure they fit ({@link room}): reserving here could move to a new buffer.
   */
  copy(start: number, end: number): void {
    this._buffer.copyWithin(this._offset, start, end);
    this._offset += end - start;
    this.length += end - start;
  }

  /** Writes a non-negative safe integer in decimal (at most 16 digits), then a newline. */
  countLine(value: number): void {
    this.reserve(17);
    const buffer = this._buffer;
    let offset = this._offset;
    if (value < 10) {
      buffer[offset++] = ZERO + value;
    } else {
      let digits = 1;
      for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
      offset += digits;
      for (let i = offset - 1, rest = value; i >= this._offset; i--, rest = Math.floor(rest / 10)) {
        buffer[i] = ZERO + (rest % 10);
      }
    }
    buffer[offset++] = NEWLINE;
    this.length += offset - this._offset;
    this._offset = offset;
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
