// The parent's side of child-process metrics: a local socket server that the processes started under this
// one (LiveKit Agents' job processes, any `child_process.fork()` of an app run under the register) connect to,
// told where by an environment variable they inherit. To ClusterMetricsPrimary its connections look like
// cluster workers: each says hello with its pid, answers every scrape's request, and its last answer is
// kept when it exits, so its counters and histograms stay in the total.

import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:net';
import { diag } from '@opentelemetry/api';
import { socketPathOf } from './child-process-address.js';
import { isMetricsMessage, MESSAGE_KEY, type MetricsMessage } from './cluster-messages.js';
import type { ClusterEvents, ClusterWorkerHandle } from './cluster-primary.js';
import { MessageSocket } from './message-socket.js';

const diagLogger = diag.createComponentLogger({ namespace: '@va/prometheus-bridge' });

/** Ids far above node:cluster's (1, 2, …), so the two kinds never share one in a primary. */
const FIRST_ID = 1_000_000_000;

class ChildProcessHandle implements ClusterWorkerHandle {
  readonly id: number;
  readonly name = 'child process';
  readonly process: { pid?: number | undefined } = { pid: undefined };
  readonly socket: MessageSocket;

  constructor(id: number, socket: MessageSocket) {
    this.id = id;
    this.socket = socket;
  }

  send(message: MetricsMessage, callback: (error: Error | null) => void): boolean {
    return this.socket.send(message, callback);
  }

  isConnected(): boolean {
    return this.socket.connected;
  }
}

export class ChildProcessHub extends EventEmitter implements ClusterEvents {
  private _server: Server | undefined;
  private _nextId = FIRST_ID;
  private readonly _handles = new Set<ChildProcessHandle>();

  /** Listens on `address`; resolves once listening, rejects if it cannot. Holds no process open. */
  start(address: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const server = createServer((socket) => this._accept(new MessageSocket(socket)));
      server.once('error', reject);
      server.listen(socketPathOf(address), () => {
        server.off('error', reject);
        server.on('error', (error) => diagLogger.debug('child-process metrics hub error', error));
        server.unref();
        this._server = server;
        resolve();
      });
    });
  }

  /** Stops listening and drops every connection: the children see their parent gone. */
  stop(): void {
    this._server?.close();
    this._server = undefined;
    for (const handle of this._handles) handle.socket.close();
  }

  private _accept(socket: MessageSocket): void {
    const handle = new ChildProcessHandle(this._nextId++, socket);
    this._handles.add(handle);
    socket.on('message', (message: unknown) => {
      // The pid comes with the hello: a socket's peer has none to read.
      if (isMetricsMessage(message) && message[MESSAGE_KEY] === 'hello') {
        const pid = message.pid;
        if (typeof pid !== 'number' || !Number.isSafeInteger(pid)) return;
        handle.process.pid = pid;
      }
      this.emit('message', handle, message);
    });
    socket.on('close', () => {
      this._handles.delete(handle);
      this.emit('exit', handle);
    });
  }
}
