import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How long /slow-headers waits before its status line, and /slow-body before its body. */
export const SLOW_HEADERS_MS = 150;
export const SLOW_BODY_MS = 400;

export interface ReceivedRequest {
  readonly method: string | undefined;
  readonly url: string | undefined;
  /** As sent, in order, names in the case the client used. */
  readonly rawHeaders: readonly string[];
}

export interface LocalServer {
  readonly port: number;
  /** `http://127.0.0.1:<port>` or `https://…`. */
  readonly origin: string;
  readonly received: ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * A real server on 127.0.0.1 (a free port the OS picks):
 * `/` 200 `hello`; `/status/<code>` that status; `/slow-headers` answers after SLOW_HEADERS_MS;
 * `/slow-body` sends its headers at once and its body after SLOW_BODY_MS; `/hang` never answers;
 * `/early-hints` sends 102 and 103 before its 200.
 */
export async function startServer(tls?: TlsIdentity): Promise<LocalServer> {
  const received: ReceivedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, action: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      action();
    }, ms);
    timers.add(timer);
  };
  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    received.push({ method: request.method, url: request.url, rawHeaders: [...request.rawHeaders] });
    request.resume();
    const url = request.url ?? '/';
    const status = /^\/status\/(\d{3})$/.exec(url);
    if (status !== null) response.writeHead(Number(status[1])).end(`status ${status[1]}`);
    else if (url === '/slow-headers') later(SLOW_HEADERS_MS, () => response.end('slow headers'));
    else if (url === '/slow-body') {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.flushHeaders();
      later(SLOW_BODY_MS, () => response.end('slow body'));
    } else if (url === '/hang') return;
    else if (url === '/early-hints') {
      response.writeProcessing();
      response.writeEarlyHints({ link: '</style.css>; rel=preload; as=style' });
      response.end('after hints');
    } else response.end('hello');
  };
  const server = tls === undefined ? createHttpServer(handle) : createHttpsServer(tls, handle);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    port,
    origin: `${tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
    received,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
  };
}

export interface TlsIdentity {
  readonly key: string;
  /** Self-signed for 127.0.0.1; also the CA a client trusts it with. */
  readonly cert: string;
}

/** A throwaway self-signed certificate for 127.0.0.1, made by openssl; nothing is left on disk. */
export function selfSignedIdentity(): TlsIdentity {
  const directory = mkdtempSync(join(tmpdir(), 'va-http-client-tls-'));
  try {
    const key = join(directory, 'key.pem');
    const cert = join(directory, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
