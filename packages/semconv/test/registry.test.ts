import { describe, expect, it } from 'vitest';
import {
  ALL_METRICS,
  DB_CLIENT_CONNECTION_COUNT,
  defineBuckets,
  exportedNameOf,
  findMetric,
  GEN_AI_CLIENT_COST,
  GEN_AI_CLIENT_OPERATION_DURATION,
  GEN_AI_CLIENT_TOKEN_USAGE,
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

  it('holds the GenAI buckets the conventions advise, and exports cost with its currency in the name', () => {
    expect(GEN_AI_CLIENT_OPERATION_DURATION.buckets).toEqual([
      0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
    ]);
    expect(GEN_AI_CLIENT_TOKEN_USAGE.buckets?.[0]).toBe(1);
    expect(GEN_AI_CLIENT_TOKEN_USAGE.buckets?.at(-1)).toBe(67108864);
    expect(GEN_AI_CLIENT_TOKEN_USAGE.buckets).toHaveLength(14);
    expect(exportedNameOf(GEN_AI_CLIENT_COST)).toBe('gen_ai.client.cost.usd');
    expect(GEN_AI_CLIENT_COST.kind).toBe('counter');
  });
});
