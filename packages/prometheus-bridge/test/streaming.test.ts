// The scrape paths that work buffer by buffer (render() decoding as it goes, the handler streaming large
// expositions, gzip on the fly, buffers shared through a pool) must give exactly the text a
// straightforward rendering gives. The reference below builds it line by line as strings, with none of
// the serializer's machinery (no byte copying, no pre-encoded tails, no pool).

import { createServer, request as httpRequest, type ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { Attributes, AttributeValue } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { DataPointType, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type PrometheusBridgeOptions, serialize } from '../src/index.js';
import {
  escapeHelp,
  escapeLabelValue,
  formatValue,
  type PrometheusMetricType,
  prometheusMetricName,
  sanitizeLabelName,
} from '../src/naming.js';
import { type CapturedLog, captureDiag, close, listen, request, type Setup, setup } from './helpers.js';

const PREFIX = 'voice_agent';
const SERIES = 2_000;
const BOUNDARIES = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

function labelValue(value: AttributeValue): string {
  if (typeof value === 'string') return value;
  return Array.isArray(value) ? JSON.stringify(value) : String(value);
}

function labelList(attributes: Attributes): string[] {
  return Object.entries(attributes)
    .filter((entry): entry is [string, AttributeValue] => entry[1] !== undefined && entry[1] !== null)
    .map(([key, value]) => `${sanitizeLabelName(key)}="${escapeLabelValue(labelValue(value))}"`);
}

function typeOf(metric: MetricData): PrometheusMetricType {
  if (metric.dataPointType === DataPointType.HISTOGRAM) return 'histogram';
  return metric.dataPointType === DataPointType.SUM && metric.isMonotonic ? 'counter' : 'gauge';
}

/** The exposition, written the plain way. Covers what the data below uses (no colliding label names). */
function reference(resourceMetrics: ResourceMetrics): string {
  const lines: string[] = [];
  const resource = labelList(resourceMetrics.resource.attributes);
  if (resource.length > 0) {
    lines.push('# HELP target_info Target metadata', '# TYPE target_info gauge');
    lines.push(`target_info{${resource.join(',')}} 1`);
  }
  const families = new Map<
    string,
    { type: PrometheusMetricType; help: string; members: { metric: MetricData; scope: string[] }[] }
  >();
  for (const { scope, metrics } of resourceMetrics.scopeMetrics) {
    const scopeLabels = [`otel_scope_name="${escapeLabelValue(scope.name)}"`];
    if (scope.version) scopeLabels.push(`otel_scope_version="${escapeLabelValue(scope.version)}"`);
    for (const metric of metrics) {
      if (metric.dataPoints.length === 0) continue;
      const type = typeOf(metric);
      const { name, unit, description } = metric.descriptor;
      const family = prometheusMetricName({ name, unit, type }, PREFIX);
      const existing = families.get(family);
      if (existing === undefined) {
        families.set(family, {
          type,
          help: escapeHelp(description),
          members: [{ metric, scope: scopeLabels }],
        });
      } else {
        existing.members.push({ metric, scope: scopeLabels });
      }
    }
  }
  for (const [name, family] of families) {
    if (family.help !== '') lines.push(`# HELP ${name} ${family.help}`);
    lines.push(`# TYPE ${name} ${family.type}`);
    for (const { metric, scope } of family.members) {
      for (const point of metric.dataPoints) {
        const labels = [...labelList(point.attributes), ...scope];
        const braces = (...extra: string[]) => {
          const all = [...labels, ...extra];
          return all.length === 0 ? '' : `{${all.join(',')}}`;
        };
        if (metric.dataPointType !== DataPointType.HISTOGRAM) {
          lines.push(`${name}${braces()} ${formatValue(point.value as number)}`);
          continue;
        }
        const { buckets, sum, count } = point.value as {
          buckets: { boundaries: number[]; counts: number[] };
          sum?: number;
          count: number;
        };
        let cumulative = 0;
        buckets.boundaries.forEach((bound, i) => {
          cumulative += buckets.counts[i] ?? 0;
          lines.push(`${name}_bucket${braces(`le="${formatValue(bound)}"`)} ${cumulative}`);
        });
        cumulative += buckets.counts[buckets.boundaries.length] ?? 0;
        lines.push(`${name}_bucket${braces('le="+Inf"')} ${cumulative}`);
        if (sum !== undefined) lines.push(`${name}_sum${braces()} ${formatValue(sum)}`);
        lines.push(`${name}_count${braces()} ${formatValue(count)}`);
      }
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** Several MB of exposition: many buffers, multi-byte characters everywhere, escapes, several families. */
function record(s: Setup): void {
  const a = s.provider.getMeter('scope-a', '1.0.0');
  const b = s.provider.getMeter('scope-b');
  const options = {
    unit: 's',
    description: 'Duration "of" requests \\ with\na newline.',
    advice: { explicitBucketBoundaries: BOUNDARIES },
  };
  const duration = a.createHistogram('http.server.request.duration', options);
  const methods = ['GET', 'POST', 'PÖST', 'DELETE'];
  for (let i = 0; i < SERIES; i++) {
    const attributes = {
      'http.request.method': methods[i % methods.length],
      'http.route': i % 7 === 0 ? `/say/"hi"\\${i}\n语😀` : `/api/v1/agents/{id}/ü${i}`,
      'http.response.status_code': 200 + (i % 5),
      'error.retried': i % 2 === 0,
    };
    for (let k = 0; k < 3; k++) duration.record(((i * 7 + k * 13) % 97) / 9, attributes);
  }
  const other = b.createHistogram('http.server.request.duration', options);
  for (let i = 0; i < 10; i++) other.record(i / 10, { 'http.route': `/b/${i}`, tags: ['x', 'y'] });
  a.createHistogram('queue.wait', { unit: 'ms', advice: { explicitBucketBoundaries: [1, 10] } }).record(4);
  const tokens = a.createCounter('gen_ai.client.token.usage', { unit: '{token}', description: 'Tokens.' });
  for (let i = 0; i < 500; i++) tokens.add(i * 1.5, { 'gen_ai.request.model': `model-${i}-é` });
  a.createUpDownCounter('voice.session.active').add(-3, { region: 'eu' });
  a.createObservableGauge('process.cpu.utilization', { unit: '1' }).addCallback((result) => {
    result.observe(0.25, { 'cpu.mode': 'user' });
    result.observe(Number.NaN, { 'cpu.mode': 'steal' });
  });
}

function build(options: PrometheusBridgeOptions = {}): Setup {
  const s = setup(
    { prefix: PREFIX, cardinalitySelector: () => 10_000, ...options },
    { resource: resourceFromAttributes({ 'service.name': 'démo "agent"', 'host.name': 'h\\1' }) },
  );
  record(s);
  return s;
}

let current: Setup | undefined;
let diagCapture: { logs: CapturedLog[]; restore: () => void } | undefined;
const cleanups: Array<() => Promise<void>> = [];

beforeEach(() => {
  diagCapture = captureDiag();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await current?.provider.shutdown().catch(() => {});
  current = undefined;
  diagCapture?.restore();
  diagCapture = undefined;
});

function use(s: Setup): Setup {
  current = s;
  return s;
}

/** A node:http server with the bridge's handler mounted; resolves to its port. */
async function mount(s: Setup, onResponse?: (response: ServerResponse) => void): Promise<number> {
  const handler = s.bridge.getMetricsRequestHandler();
  const server = createServer((req, res) => {
    onResponse?.(res);
    handler(req, res);
  });
  cleanups.push(() => close(server));
  return listen(server);
}

describe('buffer-by-buffer scrape paths', () => {
  it('serialize(), render() and the handler (plain, gzip, concurrent) give the reference text', async () => {
    // A slice budget of 0 yields after every step: concurrent scrapes interleave as much as they can,
    // all taking buffers from the same pool.
    const s = use(build({ renderSliceMillis: 0 }));
    const { resourceMetrics, errors } = await s.bridge.collect();
    expect(errors).toEqual([]);
    const expected = reference(resourceMetrics);
    expect(Buffer.byteLength(expected)).toBeGreaterThan(4 * 2 ** 20);
    expect(serialize(resourceMetrics, { prefix: PREFIX })).toBe(expected);

    // No recording from here on: every collection below sees the same cumulative data.
    expect(await s.bridge.render()).toBe(expected);
    const port = await mount(s);
    const gzip = { headers: { 'accept-encoding': 'gzip' } };
    const [plain, gzipped, text, plain2, gzipped2] = await Promise.all([
      request(port, '/metrics'),
      request(port, '/metrics', gzip),
      s.bridge.render(),
      request(port, '/metrics'),
      request(port, '/metrics', gzip),
    ]);
    expect(plain.body.toString('utf8')).toBe(expected);
    expect(gunzipSync(gzipped.body).toString('utf8')).toBe(expected);
    expect(text).toBe(expected);
    expect(plain2.body.toString('utf8')).toBe(expected);
    expect(gunzipSync(gzipped2.body).toString('utf8')).toBe(expected);
    expect(diagCapture?.logs.filter((log) => log.level === 'error')).toEqual([]);
  });

  it('streams a large exposition in chunks, without Content-Length; HEAD gets the same headers', async () => {
    const s = use(build());
    const port = await mount(s);
    const expected = await s.bridge.render();

    const plain = await request(port, '/metrics');
    expect(plain.status).toBe(200);
    expect(plain.headers['transfer-encoding']).toBe('chunked');
    expect(plain.headers['content-length']).toBeUndefined();
    expect(plain.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString('utf8')).toBe(expected);

    const gzipped = await request(port, '/metrics', { headers: { 'accept-encoding': 'gzip' } });
    expect(gzipped.headers['transfer-encoding']).toBe('chunked');
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers.vary).toBe('Accept, Accept-Encoding');
    expect(gunzipSync(gzipped.body).toString('utf8')).toBe(expected);

    const head = await request(port, '/metrics', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toBe(plain.headers['content-type']);
    expect(head.headers['content-length']).toBeUndefined();
    expect(head.body.length).toBe(0);
    expect(s.bridge.health().lastScrape.bytes).toBe(Buffer.byteLength(expected));
  });

  it('stops quietly when the client goes away mid-stream; the next scrape is whole', async () => {
    const s = use(build());
    let closed: Promise<void> | undefined;
    const port = await mount(s, (response) => {
      closed = new Promise((resolve) => response.once('close', () => resolve()));
    });
    for (const gzip of [false, true]) {
      const received = await new Promise<number>((resolve, reject) => {
        const req = httpRequest(
          { host: '127.0.0.1', port, path: '/metrics', headers: gzip ? { 'accept-encoding': 'gzip' } : {} },
          (res) => {
            res.once('data', (chunk: Buffer) => {
              req.destroy();
              resolve(chunk.length);
            });
          },
        );
        req.on('error', (error) => {
          if (!req.destroyed) reject(error);
        });
        req.end();
      });
      expect(received).toBeGreaterThan(0);
      await closed;
      // Let the bridge notice (its next write or its wait for the client ends the render).
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const whole = await request(port, '/metrics');
    expect(whole.body.toString('utf8')).toBe(await s.bridge.render());
    expect(diagCapture?.logs.filter((log) => log.level === 'error')).toEqual([]);
  });

  it('gives a client that reads slowly the whole exposition', async () => {
    const s = use(build());
    const port = await mount(s);
    const body = await new Promise<Buffer>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/metrics' }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          if (chunks.length % 8 === 1) {
            res.pause();
            setTimeout(() => res.resume(), 20);
          }
        });
        res.on('end', () => resolve(Buffer.concat(chunks)));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
    expect(body.toString('utf8')).toBe(await s.bridge.render());
  });
});
