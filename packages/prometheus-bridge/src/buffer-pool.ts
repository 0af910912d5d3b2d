// A small pool of the fixed-size Buffers an exposition is written into, reused from one scrape to the next.
//
// Why: a 10,000-series scrape is tens of MB. Written into fresh Buffers, every 4 KiB page is faulted in and
// zeroed by the kernel on first touch, and the freed memory adds external-memory pressure that triggers
// garbage collections, which on a large scrape outweigh the serializing itself. The scrape is streamed (or
// decoded) buffer by buffer, so a few buffers in rotation are enough and the pool stays small: at most
// `limit` buffers are kept, whatever the size of the exposition.

export class BufferPool {
  /** Size of every pooled buffer. */
  readonly size: number;
  private readonly _limit: number;
  private readonly _free: Buffer[] = [];
  // The free buffers' memory, so a buffer released twice is not handed out twice (two writers would then
  // write into the same bytes).
  private readonly _freeMemory = new WeakSet<ArrayBufferLike>();

  /**
   * @param size size of each buffer in bytes
   * @param limit how many free buffers to keep at most
   */
  constructor(size: number, limit: number) {
    this.size = size;
    this._limit = limit;
  }

  /** Free buffers held. */
  get free(): number {
    return this._free.length;
  }

  /** A buffer of {@link size} bytes (contents undefined): a pooled one if any, else a new one. */
  acquire(): Buffer {
    const buffer = this._free.pop();
    // allocUnsafeSlow: memory of its own, never a slice of node's shared pool, so it can be recognised
    // and reused on release.
    if (buffer === undefined) return Buffer.allocUnsafeSlow(this.size);
    this._freeMemory.delete(buffer.buffer);
    return buffer;
  }

  /** Drops the free buffers (the memory goes back once nothing else holds them). */
  clear(): void {
    for (const buffer of this._free) this._freeMemory.delete(buffer.buffer);
    this._free.length = 0;
  }

  /**
   * Gives back a buffer from {@link acquire}, or a view of its start (what the writer hands out), once
   * nothing reads it any more. Buffers of another size, and views that do not start at the beginning of
   * their memory, are left to the garbage collector.
   */
  release(buffer: Buffer): void {
    const memory = buffer.buffer;
    if (buffer.byteOffset !== 0 || memory.byteLength !== this.size) return;
    if (this._free.length >= this._limit || this._freeMemory.has(memory)) return;
    this._freeMemory.add(memory);
    this._free.push(buffer.length === this.size ? buffer : Buffer.from(memory, 0, this.size));
  }
}
