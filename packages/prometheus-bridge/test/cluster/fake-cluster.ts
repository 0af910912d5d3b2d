// An in-process stand-in for node:cluster: workers are objects, and the IPC channel between the primary
// and each worker delivers JSON copies of messages on a later turn of the event loop, as Node's does.
// The real thing is tested end to end in @va/otel-register (test/register-cluster.test.ts).

import { EventEmitter } from 'node:events';
import type { MetricsMessage } from '../../src/cluster/cluster-messages.js';
import type { ClusterWorkerHandle, IpcEndpoint } from '../../src/exports/cluster.js';

type Listener = (message: unknown) => void;

const overIpc = (message: unknown): unknown => JSON.parse(JSON.stringify(message));

export class FakeWorker implements ClusterWorkerHandle {
  readonly id: number;
  readonly process: { pid: number };
  /** Messages the primary sent this worker, as sent. */
  readonly received: unknown[] = [];
  /** A worker that has hung: what is sent to it never arrives. */
  unresponsive = false;
  private _connected = true;
  private readonly _listeners = new Set<Listener>();
  private readonly _cluster: FakeCluster;

  constructor(cluster: FakeCluster, id: number, pid: number) {
    this._cluster = cluster;
    this.id = id;
    this.process = { pid };
  }

  /** The worker's side of the channel: what `process` is in a real worker. */
  readonly endpoint: IpcEndpoint = {
    get connected(): boolean {
      return true;
    },
    send: (message: unknown, callback: (error: Error | null) => void): boolean => {
      const copy = overIpc(message);
      setImmediate(() => {
        if (this._connected) this._cluster.emit('message', this, copy);
        callback(null);
      });
      return true;
    },
    on: (_event: 'message', listener: Listener) => this._listeners.add(listener),
    off: (_event: 'message', listener: Listener) => this._listeners.delete(listener),
  };

  send(message: MetricsMessage, callback: (error: Error | null) => void): boolean {
    if (!this._connected) {
      setImmediate(() => callback(new Error('channel closed')));
      return false;
    }
    this.received.push(message);
    const copy = overIpc(message);
    setImmediate(() => {
      if (!this.unresponsive) for (const listener of [...this._listeners]) listener(copy);
      callback(null);
    });
    return true;
  }

  isConnected(): boolean {
    return this._connected;
  }

  /** The process ends: the channel closes, then the cluster reports the exit. */
  exit(): void {
    this._connected = false;
    this._cluster.emit('exit', this);
  }

  listenerCount(): number {
    return this._listeners.size;
  }
}

export class FakeCluster extends EventEmitter {
  private _nextId = 1;

  fork(pid: number): FakeWorker {
    return new FakeWorker(this, this._nextId++, pid);
  }
}

/** Lets every message already sent arrive (each hop is one setImmediate). */
export async function deliver(hops = 4): Promise<void> {
  for (let hop = 0; hop < hops; hop++) await new Promise((done) => setImmediate(done));
}
