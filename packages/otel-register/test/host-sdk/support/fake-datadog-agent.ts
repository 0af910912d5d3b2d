// A stand-in for the Datadog agent on 127.0.0.1, so dd-trace's spans can be read without one:
// dd-trace PUTs its traces as msgpack to /v0.4/traces (the application points it here with
// DD_TRACE_AGENT_URL); every other endpoint it calls (telemetry, remote configuration, the
// DogStatsD proxy) gets 200 `{}`, which it takes as "nothing to do", so it never logs an error.
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface DatadogSpan {
  readonly name: string;
  readonly resource: string;
  readonly type: string | null;
  /** meta['span.kind']. */
  readonly kind: string | null;
  /** meta.component: the dd-trace integration that made the span. */
  readonly component: string | null;
  readonly traceId: string;
  readonly spanId: string;
  /** None for a root span (parent_id 0 on the wire). */
  readonly parentSpanId?: string;
}

export interface AgentRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** When its response was sent (Date.now()). */
  readonly answeredAt: number;
}

export interface FakeDatadogAgent {
  /** The value for DD_TRACE_AGENT_URL. */
  readonly url: string;
  spans(): DatadogSpan[];
  requests(): AgentRequest[];
  /** Resolves once no trace payload arrived for `quietMillis`; rejects after `timeoutMillis`. */
  tracesSettled(quietMillis: number, timeoutMillis: number): Promise<void>;
  close(): Promise<void>;
}

type Decode = (bytes: Uint8Array, options: { useBigInt64: boolean }) => unknown;

interface WireSpan {
  name?: string;
  resource?: string;
  type?: string;
  trace_id?: bigint | number;
  span_id?: bigint | number;
  parent_id?: bigint | number;
  meta?: Record<string, string>;
}

/**
 * `appDirectory` is the installed fixture app: @msgpack/msgpack is one of its dependencies, loaded
 * from there, so our own package.json needs no dependency for the test.
 */
export async function startFakeDatadogAgent(appDirectory: string): Promise<FakeDatadogAgent> {
  const { decode } = createRequire(join(appDirectory, 'package.json'))('@msgpack/msgpack') as {
    decode: Decode;
  };
  const spans: DatadogSpan[] = [];
  const requests: AgentRequest[] = [];
  let lastTraces = Date.now();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '';
      let body = '{}';
      if (path === '/v0.4/traces') {
        // An array of traces, each an array of span maps.
        const traces = decode(Buffer.concat(chunks), { useBigInt64: true }) as WireSpan[][];
        for (const span of traces.flat()) spans.push(spanOf(span));
        lastTraces = Date.now();
        body = JSON.stringify({ rate_by_service: { 'service:,env:': 1 } });
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(body);
      requests.push({ method: request.method ?? '', path, headers: request.headers, answeredAt: Date.now() });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans: () => [...spans],
    requests: () => [...requests],
    async tracesSettled(quietMillis, timeoutMillis) {
      const deadline = Date.now() + timeoutMillis;
      while (Date.now() - lastTraces < quietMillis) {
        if (Date.now() > deadline) throw new Error(`dd-trace kept sending traces for ${timeoutMillis} ms`);
        await new Promise((done) => setTimeout(done, 25));
      }
    },
    close() {
      server.closeAllConnections();
      return new Promise((done) => server.close(() => done()));
    },
  };
}

function spanOf(span: WireSpan): DatadogSpan {
  return {
    name: span.name ?? '',
    resource: span.resource ?? '',
    type: span.type ?? null,
    kind: span.meta?.['span.kind'] ?? null,
    component: span.meta?.component ?? null,
    traceId: String(span.trace_id),
    spanId: String(span.span_id),
    ...(span.parent_id !== undefined &&
      String(span.parent_id) !== '0' && { parentSpanId: String(span.parent_id) }),
  };
}
