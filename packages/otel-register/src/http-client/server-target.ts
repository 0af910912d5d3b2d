// Where an outgoing request goes, as the HTTP conventions name it for a client: the host and port of
// the request target when it is in absolute form (a request through a proxy), otherwise of the
// Host header, the port defaulting to the scheme's.
// https://opentelemetry.io/docs/specs/semconv/http/http-metrics/#metric-httpclientrequestduration
// Upstream instrumentation-http takes the host and port the socket connects to instead, so behind a
// proxy it names the proxy, and with a Host header of its own it names the address dialled.
// Userinfo (`user:password@`) is dropped here and never reaches an attribute.

export type UrlScheme = 'http' | 'https';

export interface ServerTarget {
  readonly scheme: UrlScheme;
  /** Lower case, IPv6 without brackets (`::1`), as URL parsing gives it. */
  readonly address: string;
  /** Undefined when not known: a request sent without a Host header. */
  readonly port: number | undefined;
}

/** The parts of node:http's ClientRequest this file reads. */
export interface OutgoingRequestTarget {
  readonly protocol?: string;
  readonly host?: string;
  readonly path?: string;
  getHeader(name: string): unknown;
}

const DEFAULT_PORT: Readonly<Record<UrlScheme, number>> = { http: 80, https: 443 };

/** node:http/https: from the ClientRequest as Node is about to send it. */
export function targetOfClientRequest(request: OutgoingRequestTarget): ServerTarget {
  const { path } = request;
  // Origin-form paths start with `/`; anything else that parses as a URL is the absolute form.
  if (typeof path === 'string' && !path.startsWith('/')) {
    const target = targetOfUrl(path);
    if (target !== undefined) return target;
  }
  const scheme: UrlScheme = request.protocol === 'https:' ? 'https' : 'http';
  const host = request.getHeader('host');
  if (typeof host === 'string' && host !== '') return targetOfAuthority(scheme, host);
  // `setHost: false`: the name dialled is all there is, and its port is not kept on the request.
  return { scheme, address: (request.host ?? 'localhost').toLowerCase(), port: undefined };
}

/** An absolute URL or an origin (undici's `request.origin`); undefined unless http(s). */
export function targetOfUrl(url: string): ServerTarget | undefined {
  const schemeEnd = url.indexOf('://');
  if (schemeEnd <= 0) return undefined;
  const scheme = url.slice(0, schemeEnd).toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return undefined;
  const start = schemeEnd + 3;
  let end = url.length;
  for (const delimiter of ['/', '?', '#']) {
    const index = url.indexOf(delimiter, start);
    if (index !== -1 && index < end) end = index;
  }
  return targetOfAuthority(scheme, url.slice(start, end));
}

/** `host`, `host:port`, `[v6]:port`, with or without userinfo. */
export function targetOfAuthority(scheme: UrlScheme, authority: string): ServerTarget {
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  let address = hostPort;
  let portText = '';
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close !== -1) {
      address = hostPort.slice(1, close);
      if (hostPort[close + 1] === ':') portText = hostPort.slice(close + 2);
    }
  } else {
    const colon = hostPort.indexOf(':');
    // More than one colon is an IPv6 address without brackets: no port can be told apart.
    if (colon !== -1 && colon === hostPort.lastIndexOf(':')) {
      address = hostPort.slice(0, colon);
      portText = hostPort.slice(colon + 1);
    }
  }
  return {
    scheme,
    address: address.toLowerCase(),
    port: portText === '' ? DEFAULT_PORT[scheme] : portOf(portText),
  };
}

function portOf(text: string): number | undefined {
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port <= 65535 ? port : undefined;
}
