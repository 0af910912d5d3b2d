import { isIP } from 'node:net';

/**
 * Parsers for environment variable values. Each returns `undefined` for a value it cannot
 * accept, so the caller can warn once and fall back to the default: configuration never throws.
 */

export function parseNonEmptyString(raw: string): string | undefined {
  const value = raw.trim();
  return value === '' ? undefined : value;
}

// RFC 1123 host names: dot-separated labels of letters, digits and inner hyphens, at most 63 characters
// each and 253 in all.
const HOST_NAME =
  /^(?=.{1,253}$)[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*\.?$/;

/**
 * A host to bind: an IPv4 or IPv6 address (brackets allowed) or a host name. A value that cannot be one
 * is bad at once, rather than a server that fails to bind it later.
 */
export function parseHost(raw: string): string | undefined {
  const value = raw.trim();
  const unbracketed = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
  if (isIP(unbracketed) !== 0) return unbracketed;
  return HOST_NAME.test(value) ? value : undefined;
}

export function parseIntegerInRange(minimum: number, maximum: number): (raw: string) => number | undefined {
  return (raw) => {
    const value = raw.trim();
    // Number('') is 0 and Number('1e3') is 1000: accept plain decimal digits only.
    if (!/^\d+$/.test(value)) return undefined;
    const number = Number(value);
    return number >= minimum && number <= maximum ? number : undefined;
  };
}

export function parseChoice<T extends string>(choices: readonly T[]): (raw: string) => T | undefined {
  return (raw) => {
    const value = raw.trim().toLowerCase();
    return choices.find((choice) => choice === value);
  };
}

/** A comma-separated list whose every entry is one of `choices`; duplicates are dropped. */
export function parseChoiceList<T extends string>(choices: readonly T[]): (raw: string) => T[] | undefined {
  return (raw) => {
    const entries = splitList(raw);
    if (entries.length === 0) return undefined;
    const result: T[] = [];
    for (const entry of entries) {
      const choice = choices.find((candidate) => candidate === entry.toLowerCase());
      if (choice === undefined) return undefined;
      if (!result.includes(choice)) result.push(choice);
    }
    return result;
  };
}

/** A comma-separated list of names; empty entries are dropped. */
export function parseNameList(raw: string): string[] | undefined {
  const entries = splitList(raw);
  return entries.length === 0 ? undefined : entries;
}

export function parseHttpUrl(raw: string): string | undefined {
  const value = raw.trim();
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? value : undefined;
  } catch {
    return undefined;
  }
}

export function parseBoolean(raw: string): boolean | undefined {
  const value = raw.trim().toLowerCase();
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

/**
 * `key1=value1,key2=value2`, values percent-decoded, as the OpenTelemetry resource SDK spec
 * describes OTEL_RESOURCE_ATTRIBUTES:
 * https://opentelemetry.io/docs/specs/otel/resource/sdk/#specifying-resource-information-via-an-environment-variable
 */
export function parseKeyValueList(raw: string): Record<string, string> | undefined {
  const result: Record<string, string> = {};
  for (const entry of splitList(raw)) {
    const separator = entry.indexOf('=');
    if (separator <= 0) return undefined;
    const key = entry.slice(0, separator).trim();
    try {
      result[key] = decodeURIComponent(entry.slice(separator + 1).trim());
    } catch {
      return undefined;
    }
  }
  return Object.keys(result).length === 0 ? undefined : result;
}

/** A Prometheus metric name prefix: itself a valid metric name. */
export function parseMetricPrefix(raw: string): string | undefined {
  const value = raw.trim();
  // https://prometheus.io/docs/concepts/data_model/#metric-names-and-labels
  return /^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(value) ? value : undefined;
}

function splitList(raw: string): string[] {
  return raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}
