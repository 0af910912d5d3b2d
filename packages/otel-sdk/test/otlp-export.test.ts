import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { metrics } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { type MetricsSdk, start } from '../src/start.js';

interface Received {
  contentType: string | undefined;
  body: Buffer;
}

/** A local OTLP/HTTP receiver that records what it is sent and answers 200. */
async function startReceiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ contentType: request.headers['content-type'], body: Buffer.concat(chunks) });
      response.writeHead(200, { 'content-type': request.headers['content-type'] ?? 'application/json' });
      response.end(request.headers['content-type'] === 'application/json' ? '{}' : '');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

interface JsonDataPoint {
  asInt?: number | string;
  asDouble?: number;
  attributes: Array<{ key: string; value: { stringValue?: string } }>;
}
interface JsonMetric {
  name: string;
  sum?: { aggregationTemporality: number; isMonotonic: boolean; dataPoints: JsonDataPoint[] };
}
interface JsonExport {
  resourceMetrics: Array<{ scopeMetrics: Array<{ metrics: JsonMetric[] }> }>;
}

function sumPoints(received: Received, name: string): { temporality: number; values: number[] } {
  const body = JSON.parse(received.body.toString('utf8')) as JsonExport;
  const metric = body.resourceMetrics
    .flatMap((resource) => resource.scopeMetrics)
    .flatMap((scope) => scope.metrics)
    .find((candidate) => candidate.name === name);
  if (metric?.sum === undefined) throw new Error(`no sum named ${name} in ${received.body.toString('utf8')}`);
  return {
    temporality: metric.sum.aggregationTemporality,
    values: metric.sum.dataPoints.map((point) => Number(point.asInt ?? point.asDouble)),
  };
}

describe('OTLP export', () => {
  let sdk: MetricsSdk | undefined;
  let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
  afterEach(async () => {
    await sdk?.shutdown();
    sdk = undefined;
    receiver?.server.close();
    receiver = undefined;
  });

  it('pushes delta sums as http/json when Datadog-style delta temporality is asked for', async () => {
    receiver = await startReceiver();
    sdk = start({
      logLevel: false,
      environment: {
        OTEL_METRICS_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta',
      },
    });
    const counter = metrics.getMeter('test').createCounter('gen_ai.demo.calls');
    counter.add(5);
    await sdk.forceFlush();
    counter.add(2);
    await sdk.forceFlush();

    expect(receiver.received.map((request) => request.contentType)).toEqual([
      'application/json',
      'application/json',
    ]);
    // AGGREGATION_TEMPORALITY_DELTA is 1 in OTLP: the second push carries only what happened since the first.
    expect(receiver.received.map((request) => sumPoints(request, 'gen_ai.demo.calls'))).toEqual([
      { temporality: 1, values: [5] },
      { temporality: 1, values: [2] },
    ]);
  });

  it('pushes cumulative sums as protobuf by default, to OTEL_EXPORTER_OTLP_ENDPOINT + /v1/metrics', async () => {
    receiver = await startReceiver();
    const paths: string[] = [];
    receiver.server.prependListener('request', (request: IncomingMessage) => paths.push(request.url ?? ''));
    sdk = start({
      logLevel: false,
      environment: { OTEL_METRICS_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url },
    });
    metrics.getMeter('test').createCounter('gen_ai.demo.calls').add(1);
    await sdk.forceFlush();
    expect(paths).toEqual(['/v1/metrics']);
    expect(receiver.received.map((request) => request.contentType)).toEqual(['application/x-protobuf']);
    // The metric name travels as a protobuf string field: present verbatim in the payload.
    expect(receiver.received[0]!.body.includes(Buffer.from('gen_ai.demo.calls'))).toBe(true);
  });
});
