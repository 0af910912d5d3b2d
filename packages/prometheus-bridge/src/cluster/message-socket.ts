// One end of a local socket between a process and its parent's metrics hub (child-process-hub.ts): the
// same messages as over a cluster worker's IPC channel (cluster-messages.ts), one JSON object a line.
// A socket of its own rather than the IPC channel of `child_process.fork()`: that channel belongs to the
// application, whose protocol may not bear a message it did not send (LiveKit Agents' job processes
// require their own first message to come first). The socket never holds either process open.

import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';

const NEWLINE = 10;

/** Newline-delimited JSON over a socket, as an IPC endpoint: `send(message, callback)` and `'message'` events. */
export class MessageSocket extends EventEmitter {
  private readonly _socket: Socket;
  private _buffered: Buffer[] = [];
  private _connected = true;

  constructor(socket: Socket) {
    super();
    this._socket = socket;
    socket.unref();
    socket.on('data', (chunk: Buffer) => this._read(chunk));
    socket.on('close', () => {
      this._connected = false;
      this.emit('close');
    });
    // A peer that went away ends in 'close'; the error itself is nobody's to handle.
    socket.on('error', () => {});
  }

  get connected(): boolean {
    return this._connected && !this._socket.destroyed;
  }

  send(message: unknown, callback: (error: Error | null) => void): boolean {
    if (!this.connected) {
      callback(new Error('the metrics socket is closed'));
      return false;
    }
    return this._socket.write(`${JSON.stringify(message)}\n`, (error) => callback(error ?? null));
  }

  close(): void {
    this._connected = false;
    this._socket.destroy();
  }

  private _read(chunk: Buffer): void {
    let start = 0;
    for (let index = chunk.indexOf(NEWLINE); index !== -1; index = chunk.indexOf(NEWLINE, start)) {
      this._buffered.push(chunk.subarray(start, index));
      const line = Buffer.concat(this._buffered).toString('utf8');
      this._buffered = [];
      start = index + 1;
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch {
        continue;
      }
      this.emit('message', message);
    }
    if (start < chunk.length) this._buffered.push(chunk.subarray(start));
  }
}
