/** Where a client sends its calls: `server.address` and `server.port`. */
export interface ServerEndpoint {
  readonly serverAddress: string;
  readonly serverPort: number;
}

/** Reads the host and port of an HTTP or WebSocket base URL (the scheme's port when none is given). */
export function serverEndpointOf(baseURL: unknown): ServerEndpoint | undefined {
  let url: URL;
  try {
    if (typeof baseURL !== 'string') return undefined;
    url = new URL(baseURL);
  } catch {
    return undefined;
  }
  // URL keeps IPv6 hosts in brackets; server.address wants the bare address.
  const serverAddress = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const plain = url.protocol === 'http:' || url.protocol === 'ws:';
  const serverPort = url.port === '' ? (plain ? 80 : 443) : Number(url.port);
  return { serverAddress, serverPort };
}
