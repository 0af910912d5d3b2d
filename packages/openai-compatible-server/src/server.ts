/**
 * The HTTP server: reads and records each request, reads its scenario, applies the directives
 * every endpoint shares (hang, error, fail-times, random 429s), routes to the endpoint, and on
 * close() ends every pending delay and destroys every socket, so nothing it started keeps a Node
 * process alive.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { countTokens, messages } from './anthropic-messages.js';
import { speech, transcriptions } from './audio.js';
import { chatCompletions } from './chat-completions.js';
import { embeddings } from './embeddings.js';
import { errorBody, RequestError } from './errors.js';
import { apiFamilyOf, Exchange, ExchangeEnded, type Timing } from './exchange.js';
import { countTokens as geminiCountTokens, generateContent } from './gemini-content.js';
import { geminiEmbeddings } from './gemini-embeddings.js';
import { type GeminiPath, parseGeminiPath } from './gemini-path.js';
import { listModels, retrieveModel } from './models.js';
import { type MultipartForm, multipartBoundary, parseMultipart } from './multipart.js';
import { seededRandom, uniform } from './random.js';
import { RealtimeEndpoint } from './realtime-endpoint.js';
import { responses } from './responses.js';
import {
  FailureCounter,
  joinDirectives,
  parseScenario,
  SCENARIO_HEADER,
  SCENARIO_KEY_HEADER,
  type Scenario,
  ScenarioError,
  scenarioErrorStatus,
  splitModel,
} from './scenarios.js';
import { selfSignedCertificate } from './tls-certificate.js';
import type {
  LatencyProfile,
  OpenAICompatibleServerOptions,
  RecordedRealtimeSession,
  RecordedRequest,
  RecordedResponse,
  StartedServer,
} from './types.js';
import { isRecord } from './usage.js';

/** Larger bodies are refused (413): a test server has no reason to buffer more. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

type Body =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown }
  | { kind: 'multipart'; form: MultipartForm }
  | { kind: 'text'; value: string };

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** JSON and multipart are parsed; a body that is not valid JSON is kept as text and answered 400. */
function parseBody(bytes: Buffer, contentType: string | undefined): Body {
  if (bytes.length === 0) return { kind: 'none' };
  const boundary = multipartBoundary(contentType);
  if (boundary !== undefined) return { kind: 'multipart', form: parseMultipart(bytes, boundary) };
  const text = bytes.toString('utf8');
  try {
    return { kind: 'json', value: JSON.parse(text) };
  } catch {
    return { kind: 'text', value: text };
  }
}

/** What `RecordedRequest.body` shows: multipart as its fields plus `{ filename, contentType, size }` per file. */
function recordedBody(body: Body): unknown {
  switch (body.kind) {
    case 'none':
      return undefined;
    case 'json':
    case 'text':
      return body.value;
    case 'multipart':
      return { ...body.form.fields, ...body.form.files };
  }
}

function modelOf(body: Body): string | undefined {
  if (body.kind === 'json' && isRecord(body.value) && typeof body.value['model'] === 'string') {
    return body.value['model'];
  }
  if (body.kind === 'multipart') {
    const model = body.form.fields['model'];
    return Array.isArray(model) ? model[0] : model;
  }
  return undefined;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/**
 * A request with any directive is deterministic: only its own delays, never the profile's jitter,
 * so a test's timing does not depend on the server's latency profile.
 */
function timingOf(scenario: Scenario, latency: LatencyProfile | undefined, random: () => number): Timing {
  const profile = scenario.raw === undefined ? latency : undefined;
  const draw = (range: LatencyProfile[keyof LatencyProfile] | undefined) => () =>
    range === undefined ? 0 : uniform(random, range);
  return {
    firstChunkMs:
      scenario.slowFirstChunkMs !== undefined
        ? () => scenario.slowFirstChunkMs!
        : draw(profile?.firstChunkMs),
    perChunkMs:
      scenario.chunkDelayMs !== undefined ? () => scenario.chunkDelayMs! : draw(profile?.perChunkMs),
    nonStreamingMs:
      scenario.slowFirstChunkMs !== undefined
        ? () => scenario.slowFirstChunkMs!
        : draw(profile?.nonStreamingMs),
  };
}

type Handler = (exchange: Exchange, body: Body) => Promise<void>;

function jsonHandler(handle: (exchange: Exchange, body: Record<string, unknown>) => Promise<void>): Handler {
  return async (exchange, body) => {
    if (body.kind !== 'json' || !isRecord(body.value)) {
      throw new RequestError(400, 'The request body must be a JSON object.');
    }
    await handle(exchange, body.value);
  };
}

const ROUTES: Record<string, Handler> = {
  'POST /v1/chat/completions': jsonHandler(chatCompletions),
  'POST /v1/responses': jsonHandler(responses),
  'POST /v1/embeddings': jsonHandler(embeddings),
  'POST /v1/audio/speech': jsonHandler(speech),
  'POST /v1/audio/transcriptions': async (exchange, body) => {
    if (body.kind !== 'multipart') {
      throw new RequestError(400, 'The request body must be multipart/form-data.');
    }
    await transcriptions(exchange, body.form);
  },
  'GET /v1/models': (exchange) => listModels(exchange),
  'POST /v1/messages': jsonHandler(messages),
  'POST /v1/messages/count_tokens': jsonHandler(countTokens),
};

const GEMINI_HANDLERS: Record<
  GeminiPath['method'],
  (exchange: Exchange, body: Record<string, unknown>, target: GeminiPath) => Promise<void>
> = {
  generateContent,
  streamGenerateContent: generateContent,
  countTokens: geminiCountTokens,
  embedContent: geminiEmbeddings,
  batchEmbedContents: geminiEmbeddings,
  predict: geminiEmbeddings,
};

function routeOf(method: string, path: string): Handler | undefined {
  const route = ROUTES[`${method} ${path}`];
  if (route !== undefined) return route;
  const gemini = parseGeminiPath(path);
  if (method === 'POST' && gemini !== undefined) {
    return jsonHandler((exchange, body) => GEMINI_HANDLERS[gemini.method](exchange, body, gemini));
  }
  const model = /^\/v1\/models\/([^/]+)$/.exec(path);
  if (method === 'GET' && model?.[1] !== undefined) {
    const id = decodeURIComponent(model[1]);
    return (exchange) => retrieveModel(exchange, id);
  }
  return undefined;
}

export async function startOpenAICompatibleServer(
  options: OpenAICompatibleServerOptions = {},
): Promise<StartedServer> {
  const host = options.host ?? '127.0.0.1';
  const random = options.random ?? seededRandom(options.seed ?? 1);
  const rateLimitProbability = options.rateLimitProbability ?? 0;
  const requests: RecordedRequest[] = [];
  const responses: RecordedResponse[] = [];
  const realtimeSessions: RecordedRealtimeSession[] = [];
  const realtime = new RealtimeEndpoint(realtimeSessions);
  const failures = new FailureCounter();
  const sockets = new Set<Socket>();
  /** One per request in flight: close() aborts them all, which ends every pending wait. */
  const inFlight = new Set<AbortController>();
  let closing: Promise<void> | undefined;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const controller = new AbortController();
    inFlight.add(controller);
    // 'close' without a finished response means the client went away (or we cut it).
    res.on('close', () => {
      inFlight.delete(controller);
      if (!res.writableFinished) controller.abort();
    });
    if (closing !== undefined) controller.abort();

    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    let body: Body;
    try {
      body = parseBody(await readBody(req), header(req, 'content-type'));
    } catch (error) {
      if (error instanceof BodyTooLarge && !res.headersSent) {
        res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
        res.end(JSON.stringify(errorBody(413, { message: 'Request body too large.' })));
      } else {
        res.destroy();
      }
      return;
    }
    // Gemini names the model in the path, not the body.
    const named = modelOf(body) ?? parseGeminiPath(path)?.model;
    const { model: requestedModel, directives } = named === undefined ? {} : splitModel(named);
    const raw = joinDirectives(header(req, SCENARIO_HEADER), directives);
    const recorded: RecordedRequest = { method, path, headers: { ...req.headers }, body: recordedBody(body) };
    if (raw !== undefined) recorded.scenario = raw;
    requests.push(recorded);

    let scenario: Scenario;
    let scenarioError: string | undefined;
    try {
      scenario = parseScenario(raw);
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      scenario = { raw, hang: false, noUsage: false };
      scenarioError = error.message;
    }
    const exchange = new Exchange({
      req,
      res,
      path,
      api: apiFamilyOf(path),
      scenario,
      timing: timingOf(scenario, options.latency, random),
      signal: controller.signal,
      requestedModel,
      record: (response) => responses.push(response),
    });
    if (body.kind === 'json' && isRecord(body.value) && body.value['stream'] === true) exchange.stream = true;

    try {
      if (scenarioError !== undefined) throw new RequestError(400, scenarioError, SCENARIO_HEADER);
      const route = routeOf(method, path);
      if (route === undefined) {
        exchange.sendError(404, { message: `Invalid URL (${method} ${path})`, code: 'unknown_url' });
        return;
      }
      if (scenario.hang) await exchange.hang();
      const status = scenarioErrorStatus(scenario, header(req, SCENARIO_KEY_HEADER), failures);
      if (status !== undefined) {
        await exchange.wait(scenario.slowFirstChunkMs ?? 0);
        exchange.stream = false;
        exchange.sendError(status);
        return;
      }
      if (scenario.raw === undefined && rateLimitProbability > 0 && random() < rateLimitProbability) {
        exchange.stream = false;
        exchange.sendError(429);
        return;
      }
      await route(exchange, body);
    } catch (error) {
      if (error instanceof ExchangeEnded || controller.signal.aborted) {
        if (!res.writableFinished) res.destroy();
        return;
      }
      if (res.headersSent) {
        // Mid-stream there is no way to report an error but to drop the connection.
        res.destroy();
        return;
      }
      exchange.stream = false;
      if (error instanceof RequestError) {
        exchange.sendError(error.status, { message: error.message, param: error.param });
      } else {
        exchange.sendError(500, { message: error instanceof Error ? error.message : String(error) });
      }
    }
  }

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch(() => res.destroy());
  };
  const certificate = options.tls ? await selfSignedCertificate() : undefined;
  const server = certificate === undefined ? createServer(listener) : createTlsServer(certificate, listener);
  // Idle keep-alive sockets are left for the client to close. With Node's 5 s default the server could
  // close one just as a client (undici's coarse idle timer) sends its next request on it: ECONNRESET.
  // close() destroys every socket, so none outlives the server.
  server.keepAliveTimeout = 0;
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    if (closing !== undefined || !realtime.upgrade(req, socket, head)) socket.destroy();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const scheme = certificate === undefined ? 'http' : 'https';
  const url = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url,
    baseURL: `${url}/v1`,
    anthropicBaseURL: url,
    geminiBaseURL: url,
    port,
    requests,
    responses,
    realtimeSessions,
    ...(certificate === undefined ? {} : { certificate: certificate.cert }),
    reset() {
      requests.length = 0;
      responses.length = 0;
      realtimeSessions.length = 0;
      failures.clear();
    },
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        for (const controller of inFlight) controller.abort();
        realtime.close();
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
