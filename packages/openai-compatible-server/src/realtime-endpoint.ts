/**
 * `GET /v1/realtime?model=…` upgraded to a WebSocket: reads the session's scenario (header and
 * model suffix, as the HTTP endpoints do) and its protocol (`OpenAI-Beta: realtime=v1` asks for the
 * beta one), records the session and hands the socket to a RealtimeSession. A bad scenario or a missing model is refused before the upgrade with an OpenAI
 * error body, as a real server refuses a bad handshake.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { errorBody } from './errors.js';
import { alphanumericId } from './ids.js';
import { realtimeDialect, realtimeProtocol } from './realtime-dialect.js';
import { parseRealtimeScenario, type RealtimeScenario } from './realtime-scenario.js';
import { RealtimeSession } from './realtime-session.js';
import { joinDirectives, SCENARIO_HEADER, ScenarioError, splitModel } from './scenarios.js';
import type { RecordedRealtimeSession } from './types.js';

export const REALTIME_PATH = '/v1/realtime';

function refuse(socket: Duplex, status: number, message: string, param: string | null): void {
  const body = JSON.stringify(errorBody(status, { message, param }));
  socket.end(
    `HTTP/1.1 ${status} Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

export class RealtimeEndpoint {
  private readonly _server = new WebSocketServer({ noServer: true });
  private readonly _sessions = new Set<RealtimeSession>();
  private readonly _records: RecordedRealtimeSession[];

  constructor(records: RecordedRealtimeSession[]) {
    this._records = records;
  }

  /** Takes the upgrade when it is for `/v1/realtime`; returns false to let the caller refuse it. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== REALTIME_PATH) return false;
    const named = url.searchParams.get('model');
    if (named === null || named === '') {
      refuse(socket, 400, 'You must provide a model parameter.', 'model');
      return true;
    }
    const { model, directives } = splitModel(named);
    const header = req.headers[SCENARIO_HEADER];
    const raw = joinDirectives(Array.isArray(header) ? header.join(',') : header, directives);
    let scenario: RealtimeScenario;
    try {
      scenario = parseRealtimeScenario(raw);
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      refuse(socket, 400, error.message, SCENARIO_HEADER);
      return true;
    }
    const protocol = realtimeProtocol(req.headers);
    this._server.handleUpgrade(req, socket, head, (ws) => {
      const record: RecordedRealtimeSession = {
        id: alphanumericId('sess_', 22),
        model,
        protocol,
        headers: { ...req.headers },
        received: [],
        sent: [],
        responses: [],
        transcriptions: [],
        closed: false,
      };
      if (raw !== undefined) record.scenario = raw;
      this._records.push(record);
      const session = new RealtimeSession(ws, model, scenario, record, realtimeDialect(protocol));
      this._sessions.add(session);
      ws.on('close', () => this._sessions.delete(session));
    });
    return true;
  }

  /** Ends every session's scripted timers; the server destroys the sockets themselves. */
  close(): void {
    for (const session of this._sessions) session.close();
    this._sessions.clear();
    this._server.close();
  }
}
