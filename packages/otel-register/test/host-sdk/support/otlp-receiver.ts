import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

interface JsonDataPoint {
  count?: number | string;
  asInt?: number | string;
  asDouble?: number;
  attributes?: { key: string; value: Record<string, unknown> }[];
}
interface JsonMetric {
  name: string;
  histogram?: { dataPoints: JsonDataPoint[] };
  sum?: { dataPoints: JsonDataPoint[] };
}
interface JsonExport {
  resourceMetrics?: { scopeMetrics?: { scope?: { name?: string }; metrics?: JsonMetric[] }[] }[];
}

export interface OtlpReceiver {
  /** The endpoint to set as OTEL_EXPORTER_OTLP_METRICS_ENDPOINT (OTLP/HTTP, JSON). */
  readonly url: string;
  /** How many exports arrived. */
  exports(): number;
  /**
   * A histogram's count (or a sum's value) over its data points whose attributes include `where`, as
   * the last export reported it: exports are cumulative, each carries the totals so far.
   */
  total(metric: string, where?: Record<string, string | number>): number;
  /** Every data point of `metric` in the last export that had it: scope, attributes, count or value. */
  points(metric: string): { scope: string; attributes: Record<string, unknown>; value: number }[];
  /** The instrumentation scopes that reported `metric` in the last export that had it. */
  scopesOf(metric: string): string[];
  close(): Promise<void>;
}

function attributeValue(value: Record<string, unknown>): unknown {
  if ('stringValue' in value) return value.stringValue;
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return value.doubleValue;
  if ('boolValue' in value) return value.boolValue;
  return undefined;
}

/** A local OTLP/HTTP JSON metrics receiver, standing in for a Collector. */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const latest = new Map<string, { scope: string; points: JsonDataPoint[]; histogram: boolean }[]>();
  let exportCount = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as JsonExport;
        exportCount++;
        const seen = new Map<string, { scope: string; points: JsonDataPoint[]; histogram: boolean }[]>();
        for (const resource of body.resourceMetrics ?? []) {
          for (const scope of resource.scopeMetrics ?? []) {
            for (const metric of scope.metrics ?? []) {
              const entry = {
                scope: scope.scope?.name ?? '',
                points: metric.histogram?.dataPoints ?? metric.sum?.dataPoints ?? [],
                histogram: metric.histogram !== undefined,
              };
              seen.set(metric.name, [...(seen.get(metric.name) ?? []), entry]);
            }
          }
        }
        for (const [name, entries] of seen) latest.set(name, entries);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } catch {
        response.writeHead(400).end();
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/metrics`,
    exports: () => exportCount,
    total(metric, where = {}) {
      let total = 0;
      for (const entry of latest.get(metric) ?? []) {
        for (const point of entry.points) {
          const attributes = new Map(
            (point.attributes ?? []).map((attribute) => [attribute.key, attributeValue(attribute.value)]),
          );
          if (!Object.entries(where).every(([key, value]) => attributes.get(key) === value)) continue;
          total += entry.histogram ? Number(point.count ?? 0) : Number(point.asInt ?? point.asDouble ?? 0);
        }
      }
      return total;
    },
    points: (metric) =>
      (latest.get(metric) ?? []).flatMap((entry) =>
        entry.points.map((point) => ({
          scope: entry.scope,
          attributes: Object.fromEntries(
            (point.attributes ?? []).map((attribute) => [attribute.key, attributeValue(attribute.value)]),
          ),
          value: entry.histogram ? Number(point.count ?? 0) : Number(point.asInt ?? point.asDouble ?? 0),
        })),
      ),
    scopesOf: (metric) => (latest.get(metric) ?? []).map((entry) => entry.scope),
    close: () => new Promise((done) => server.close(() => done())),
  };
}
