import { describe, expect, it } from 'vitest';
import { parseHost } from '../../src/environment/parsers.js';

describe('parseHost (OTEL_EXPORTER_PROMETHEUS_HOST)', () => {
  it.each([
    ['0.0.0.0', '0.0.0.0'],
    ['127.0.0.1', '127.0.0.1'],
    ['::', '::'],
    ['[::1]', '::1'],
    ['localhost', 'localhost'],
    ['metrics.internal.example.com', 'metrics.internal.example.com'],
    [' host-1 ', 'host-1'],
  ])('accepts %j as %j', (raw, expected) => {
    expect(parseHost(raw)).toBe(expected);
  });

  it.each([
    'not a host!',
    'http://localhost',
    'host:9464',
    '-leading-hyphen',
    'a..b',

    `${'a'.repeat(64)}.com`,
  ])('rejects %j, so the default applies with a warning instead of a server that cannot bind', (raw) => {
    expect(parseHost(raw)).toBeUndefined();
  });
});
