import { describe, expect, it } from 'vitest';
import {
  ALL_METRICS,
  DB_CLIENT_CONNECTION_COUNT,
  defineBuckets,
  exportedNameOf,
  findMetric,
  HTTP_DURATION_BUCKETS,
  HTTP_SERVER_REQUEST_DURATION,
  prometheusTypeOf,
} from '../src/index.js';

describe('@va/semconv', () => {
  it('defines each metric once, with a unit, a description and well-formed attribute keys', () => {
    const names = ALL_METRICS.map((metric) => metric.name);
    expect(new Set(names).size).toBe(names.length);
    for (const metric of ALL_METRICS) {
      expect(metric.name, metric.name).toMatch(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/);
      expect(metric.description.length, metric.name).toBeGreaterThan(10);
      expect(metric.unit, metric.name).not.toBe('');
      for (const attribute of metric.attributes)
        expect(attribute.key).toMatch(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/);
    }
  });

  it('gives buckets to exactly the histograms', () => {
    for (const metric of ALL_METRICS) {
      expect(metric.buckets !== undefined, metric.name).toBe(metric.kind === 'histogram');
    }
  });

  it('holds the HTTP buckets the conventions advise', () => {
    expect(HTTP_SERVER_REQUEST_DURATION.buckets).toEqual([
      0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
    ]);
    expect(Object.isFrozen(HTTP_DURATION_BUCKETS)).toBe(true);
  });

  it('rejects bucket boundaries that are empty, unordered or not finite', () => {
    expect(() => defineBuckets([])).toThrow('must not be empty');
    expect(() => defineBuckets([1, 1])).toThrow('must increase: 1 then 1');
    expect(() => defineBuckets([0.5, Number.POSITIVE_INFINITY])).toThrow('not finite');
  });

  it('maps instrument kinds to Prometheus types', () => {
    expect(prometheusTypeOf('counter')).toBe('counter');
    expect(prometheusTypeOf('observable_counter')).toBe('counter');
    expect(prometheusTypeOf('histogram')).toBe('histogram');
    for (const kind of ['updowncounter', 'observable_updowncounter', 'gauge', 'observable_gauge'] as const) {
      expect(prometheusTypeOf(kind)).toBe('gauge');
    }
  });

  it('finds definitions by name and knows the export renames', () => {
    expect(findMetric('http.server.request.duration')).toBe(HTTP_SERVER_REQUEST_DURATION);
    expect(findMetric('no.such.metric')).toBeUndefined();
    expect(exportedNameOf(DB_CLIENT_CONNECTION_COUNT)).toBe('db.client.connections.usage');
    expect(exportedNameOf(HTTP_SERVER_REQUEST_DURATION)).toBe('http.server.request.duration');
  });
});
