// Which exposition format a scrape gets, from its Accept header: Prometheus text 0.0.4 (the default),
// or OpenMetrics text 1.0.0 (0.0.1 when asked for by that version). HTTP content negotiation (RFC 9110,
// 12.5.1): media ranges in order of their `q` (default 1; 0 means "not acceptable"), the header's own
// order among equals; the first one we can serve wins. A header we cannot read, or that lists nothing we
// serve, gets the default: a scrape is never refused for its Accept header.
//
// What Prometheus sends (measured with 2.42.0):
//   application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,
//   text/plain;version=0.0.4;q=0.5,*/*;q=0.1
// and, with --enable-feature=native-histograms, the protobuf format first, then OpenMetrics at q=0.8.

/** The formats the bridge writes. */
export type ExpositionFormat = 'prometheus-text' | 'openmetrics';

/** A negotiated format, with the Content-Type its response carries. */
export interface NegotiatedFormat {
  readonly format: ExpositionFormat;
  readonly contentType: string;
}

/** The content type of Prometheus text exposition format 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** The content type of OpenMetrics text 1.0.0. */
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

const PROMETHEUS_TEXT: NegotiatedFormat = { format: 'prometheus-text', contentType: PROMETHEUS_CONTENT_TYPE };
const OPENMETRICS_1_0_0: NegotiatedFormat = { format: 'openmetrics', contentType: OPENMETRICS_CONTENT_TYPE };
// The same text: 1.0.0 only made normative what 0.0.1 drafted.
const OPENMETRICS_0_0_1: NegotiatedFormat = {
  format: 'openmetrics',
  contentType: 'application/openmetrics-text; version=0.0.1; charset=utf-8',
};

/** The format of a scrape without an Accept header, or with one that lists nothing we serve. */
export const DEFAULT_FORMAT: NegotiatedFormat = PROMETHEUS_TEXT;

interface MediaRange {
  readonly type: string;
  readonly subtype: string;
  readonly parameters: ReadonlyMap<string, string>;
  readonly q: number;
  readonly order: number;
}

/** Longer headers are not read (a scraper sends well under 1 KiB): the default is served. */
const MAX_ACCEPT_LENGTH = 4096;

/** The format to answer a request with `accept` (its Accept header, possibly repeated) in. */
export function negotiateFormat(accept: string | readonly string[] | undefined): NegotiatedFormat {
  const header = Array.isArray(accept) ? accept.join(',') : accept;
  if (typeof header !== 'string' || header.length > MAX_ACCEPT_LENGTH) return DEFAULT_FORMAT;
  const ranges = parseAccept(header).sort((a, b) => b.q - a.q || a.order - b.order);
  for (const range of ranges) {
    if (range.q <= 0) continue;
    const format = formatFor(range);
    if (format !== undefined) return format;
  }
  return DEFAULT_FORMAT;
}

function formatFor({ type, subtype, parameters }: MediaRange): NegotiatedFormat | undefined {
  const version = parameters.get('version');
  if (type === 'application' && subtype === 'openmetrics-text') {
    if (version === undefined || version === '1.0.0') return OPENMETRICS_1_0_0;
    if (version === '0.0.1') return OPENMETRICS_0_0_1;
    return undefined;
  }
  if (type === 'text' && subtype === 'plain') {
    return version === undefined || version === '0.0.4' ? PROMETHEUS_TEXT : undefined;
  }
  if ((type === 'text' || type === '*') && subtype === '*') return PROMETHEUS_TEXT;
  return undefined;
}

/** The media ranges of an Accept header; malformed ones are left out. */
function parseAccept(header: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  const parts = header.split(',');
  for (let order = 0; order < parts.length; order++) {
    const [mediaType = '', ...parameterTexts] = (parts[order] as string).split(';');
    const slash = mediaType.indexOf('/');
    if (slash === -1) continue;
    const type = mediaType.slice(0, slash).trim().toLowerCase();
    const subtype = mediaType
      .slice(slash + 1)
      .trim()
      .toLowerCase();
    if (type === '' || subtype === '' || (type === '*' && subtype !== '*')) continue;
    const parameters = new Map<string, string>();
    let q = 1;
    let valid = true;
    for (const text of parameterTexts) {
      const equals = text.indexOf('=');
      if (equals === -1) continue;
      const name = text.slice(0, equals).trim().toLowerCase();
      const value = unquote(text.slice(equals + 1).trim());
      if (name === 'q') {
        q = qValue(value);
        if (Number.isNaN(q)) valid = false;
      } else parameters.set(name, value);
    }
    if (valid) ranges.push({ type, subtype, parameters, q, order });
  }
  return ranges;
}

/** A `q` value: a number from 0 to 1 with at most three decimals (RFC 9110, 12.4.2); NaN otherwise. */
function qValue(text: string): number {
  if (!/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(text)) return Number.NaN;
  return Number(text);
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}
