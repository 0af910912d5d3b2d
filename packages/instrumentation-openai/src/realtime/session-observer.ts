import type { ToolCall } from '@va/instrumentation-agent';
import type { VoiceSession, VoiceTurn } from '@va/instrumentation-voice';
import type { Settings } from '../options.js';
import { reportFault } from '../report-fault.js';
import { readRealtimeUsage } from '../usage.js';
import { RealtimeMetrics, type RealtimeSessionSource } from './realtime-metrics.js';
import { startToolCall } from './tool-calls.js';
import { voiceTrackerFor } from './voice-trackers.js';

/** What a Realtime connection tells the observer; each method returns at once and never throws. */
export interface RealtimeSessionObserver {
  /** A parsed server event, in the order the app receives it. */
  serverEvent(event: unknown): void;
  /** A client event the app sends, as the object it passed. */
  clientEvent(event: unknown): void;
  /** The socket closed: the open turns end `abandoned` and the session ends. Events after it are ignored. */
  closed(): void;
}

/** A response between `response.created` and `response.done`. */
interface OpenResponse {
  readonly createdAt: number;
  readonly turn: VoiceTurn;
  /** The end of the user's speech the response answers, if it answers one. */
  readonly speechEndedAt: number | undefined;
  firstChunkAt: number | undefined;
  audio: boolean;
  functionCall: boolean;
}

/** Bounds of the per-session maps: a server that never finishes what it starts must not grow memory. */
const MAX_TRACKED = 64;

type Fields = Record<string, unknown>;

function fieldsOf(value: unknown): Fields | undefined {
  return value !== null && typeof value === 'object' ? (value as Fields) : undefined;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** Sets `key` in a map kept to {@link MAX_TRACKED} entries, forgetting the oldest. */
function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_TRACKED) map.delete(map.keys().next().value as K);
}

/** The code a failed response reports, for `error.type`. */
function failureCodeOf(statusDetails: unknown): string {
  const details = fieldsOf(statusDetails);
  const error = fieldsOf(details?.error);
  return stringOf(error?.code) ?? stringOf(error?.type) ?? stringOf(details?.reason) ?? 'failed';
}

/**
 * Turns one Realtime session's events into turns, responses, tokens, tool calls, errors and limits.
 *
 * The counting rules (README, "Realtime"): one turn per response, opened when the user's speech ends
 * (server VAD `speech_stopped`, or the commit in push-to-talk) or, for a response nobody spoke for, when
 * it is created; it ends at `response.done` by status (`completed`, `cancelled` → `interrupted`, `failed`
 * → `error`), at an `error` event that comes instead of the response (`error`), or when the socket closes
 * (`abandoned`). The response latency runs from the end of speech to the first audio delta. A response
 * that only called functions hands its end of speech to the next response, which answers the user after
 * the tools ran. Only event types, ids, counts and codes are read: never audio, text or instructions.
 */
class SessionObserver implements RealtimeSessionObserver {
  private readonly _settings: Settings;
  private readonly _agentName: string | undefined;
  private readonly _metrics: RealtimeMetrics;
  private _session: VoiceSession | undefined;
  private _closed = false;
  /** The end of the user's latest speech no response has answered yet. */
  private _speechEndedAt: number | undefined;
  /** The end of speech a function-calling response handed on. */
  private _carriedSpeechEnd: number | undefined;
  /** The turn opened at the end of the user's speech, waiting for its response. */
  private _pendingTurn: VoiceTurn | undefined;
  /** The latest turn, for usage reported after the fact (input transcription). */
  private _lastTurn: VoiceTurn | undefined;
  private readonly _responses = new Map<string, OpenResponse>();
  /** Reply items and the turn they belong to, so a truncation after the response is done still counts. */
  private readonly _turnsByItem = new Map<string, VoiceTurn>();
  private readonly _toolNames = new Map<string, string>();
  private readonly _toolCalls = new Map<string, ToolCall>();
  private _transcriptionModel: string | undefined;

  constructor(settings: Settings, source: RealtimeSessionSource) {
    this._settings = settings;
    this._agentName = source.agentName;
    this._metrics = new RealtimeMetrics(settings, source);
  }

  serverEvent(event: unknown): void {
    if (this._closed) return;
    try {
      this._serverEvent(event);
    } catch (error) {
      reportFault('observing a Realtime server event', error);
    }
  }

  clientEvent(event: unknown): void {
    if (this._closed || this._session === undefined) return;
    try {
      this._clientEvent(event);
    } catch (error) {
      reportFault('observing a Realtime client event', error);
    }
  }

  closed(): void {
    if (this._closed) return;
    this._closed = true;
    try {
      // A response cut by the socket has no duration or usage to report; its turn ends `abandoned`.
      this._session?.end();
      this._responses.clear();
      this._turnsByItem.clear();
      this._toolCalls.clear();
      this._toolNames.clear();
      this._pendingTurn = undefined;
      this._lastTurn = undefined;
    } catch (error) {
      reportFault('ending a Realtime session', error);
    }
  }

  /**
   * What each server event does, by type: one lookup per event, since a session is mostly audio deltas
   * that need nothing but a look at their response. Both protocols' names are here: GA (`openai/realtime/*`
   * in openai 5 to 7, `@openai/agents-realtime`) and beta (`openai/beta/realtime/*`), which differ only
   * where GA renamed an event.
   */
  private static readonly _serverHandlers: ReadonlyMap<
    string,
    (observer: SessionObserver, event: Fields) => void
  > = new Map<string, (observer: SessionObserver, event: Fields) => void>([
    ['response.output_audio.delta', (observer, event) => observer._outputDelta(event, true)],
    ['response.audio.delta', (observer, event) => observer._outputDelta(event, true)],
    ['response.output_audio_transcript.delta', (observer, event) => observer._outputDelta(event, false)],
    ['response.audio_transcript.delta', (observer, event) => observer._outputDelta(event, false)],
    ['response.output_text.delta', (observer, event) => observer._outputDelta(event, false)],
    ['response.text.delta', (observer, event) => observer._outputDelta(event, false)],
    ['response.function_call_arguments.delta', (observer, event) => observer._outputDelta(event, false)],
    ['session.created', (observer, event) => observer._sessionConfigured(event.session)],
    ['session.updated', (observer, event) => observer._sessionConfigured(event.session)],
    ['input_audio_buffer.speech_started', (observer) => observer._speechStarted()],
    ['input_audio_buffer.speech_stopped', (observer) => observer._speechEnded(true)],
    ['input_audio_buffer.committed', (observer) => observer._speechEnded(false)],
    ['response.created', (observer, event) => observer._responseCreated(fieldsOf(event.response))],
    ['response.output_item.added', (observer, event) => observer._outputItem(event)],
    ['response.output_item.done', (observer, event) => observer._outputItem(event)],
    ['response.function_call_arguments.done', (observer, event) => observer._functionCallReady(event)],
    // GA `added`, beta `created`: a function call's output ends its tool call.
    ['conversation.item.added', (observer, event) => observer._itemAdded(event.item)],
    ['conversation.item.created', (observer, event) => observer._itemAdded(event.item)],
    ['conversation.item.truncated', (observer, event) => observer._truncated(event.item_id)],
    ['response.done', (observer, event) => observer._responseDone(fieldsOf(event.response))],
    ['error', (observer, event) => observer._error(fieldsOf(event.error))],
    ['rate_limits.updated', (observer, event) => observer._rateLimits(event.rate_limits)],
    [
      'conversation.item.input_audio_transcription.completed',
      (observer, event) => observer._transcribed(fieldsOf(event.usage)),
    ],
  ]);

  private _serverEvent(raw: unknown): void {
    const event = fieldsOf(raw);
    const type = event?.type;
    if (event === undefined || typeof type !== 'string') return;
    SessionObserver._serverHandlers.get(type)?.(this, event);
  }

  private _clientEvent(raw: unknown): void {
    const event = fieldsOf(raw);
    const type = event?.type;
    // The app streams audio in many small appends: they return first.
    if (event === undefined || type === 'input_audio_buffer.append') return;
    switch (type) {
      case 'input_audio_buffer.commit':
        this._speechEnded(false);
        return;
      case 'response.cancel': {
        const id = stringOf(event.response_id);
        for (const [responseId, response] of this._responses) {
          if (id === undefined || id === responseId) response.turn.interrupted();
        }
        return;
      }
      case 'conversation.item.truncate':
        this._truncated(event.item_id);
        return;
      case 'conversation.item.create':
        this._itemAdded(event.item);
        return;
    }
  }

  private _startedSession(): VoiceSession {
    this._session ??= voiceTrackerFor(this._settings, this._agentName).startSession();
    return this._session;
  }

  private _sessionConfigured(value: unknown): void {
    this._startedSession();
    const session = fieldsOf(value);
    if (session === undefined) return;
    const model = stringOf(session.model);
    if (model !== undefined) this._metrics.responseModel = model;
    // GA: `audio.input.transcription`; beta: `input_audio_transcription`.
    const transcription =
      fieldsOf(fieldsOf(fieldsOf(session.audio)?.input)?.transcription) ??
      fieldsOf(session.input_audio_transcription);
    if (transcription !== undefined) this._transcriptionModel = stringOf(transcription.model);
  }

  /** The user started speaking: every response still running is interrupted. */
  private _speechStarted(): void {
    for (const response of this._responses.values()) response.turn.interrupted();
  }

  /**
   * The user's speech ended: server VAD's `speech_stopped` (the latest one counts), else the commit, which
   * in push-to-talk is the end of speech (the client's `commit`, or the server's `committed` after it).
   */
  private _speechEnded(fromVad: boolean): void {
    const now = performance.now();
    const session = this._startedSession();
    if (fromVad || this._speechEndedAt === undefined) {
      this._speechEndedAt = now;
      this._carriedSpeechEnd = undefined;
    }
    if (this._pendingTurn === undefined) {
      this._pendingTurn = session.startTurn();
      this._lastTurn = this._pendingTurn;
    }
  }

  private _responseCreated(response: Fields | undefined): void {
    const now = performance.now();
    const turn = this._pendingTurn ?? this._startedSession().startTurn();
    const speechEndedAt = this._speechEndedAt ?? this._carriedSpeechEnd;
    this._pendingTurn = undefined;
    this._speechEndedAt = undefined;
    this._carriedSpeechEnd = undefined;
    if (speechEndedAt !== undefined) turn.mark('user_speech_end', speechEndedAt);
    turn.mark('response_created', now);
    this._lastTurn = turn;
    remember(this._responses, stringOf(response?.id) ?? '', {
      createdAt: now,
      turn,
      speechEndedAt,
      firstChunkAt: undefined,
      audio: false,
      functionCall: false,
    });
  }

  /**
   * The open response an event names (else one created without an id); an event that names none belongs to
   * the only response open.
   */
  private _responseOf(id: unknown): OpenResponse | undefined {
    if (typeof id === 'string' && id !== '') return this._responses.get(id) ?? this._responses.get('');
    return this._responses.size === 1 ? this._responses.values().next().value : undefined;
  }

  /** Only a response's first chunk and first audio read the clock: the rest of its deltas cost a lookup. */
  private _outputDelta(event: Fields, audio: boolean): void {
    const response = this._responseOf(event.response_id);
    if (response === undefined || (response.audio && response.firstChunkAt !== undefined)) return;
    if (!audio && response.firstChunkAt !== undefined) return;
    const now = performance.now();
    response.firstChunkAt ??= now;
    if (audio) {
      response.audio = true;
      response.turn.mark('first_audio_out', now);
    }
  }

  private _outputItem(event: Fields): void {
    const response = this._responseOf(event.response_id);
    const item = fieldsOf(event.item);
    const itemId = stringOf(item?.id);
    if (response === undefined || item === undefined) return;
    if (itemId !== undefined) remember(this._turnsByItem, itemId, response.turn);
    if (item.type !== 'function_call') return;
    response.functionCall = true;
    const callId = stringOf(item.call_id);
    const name = stringOf(item.name);
    if (callId !== undefined && name !== undefined) remember(this._toolNames, callId, name);
  }

  /** The model finished a function call's arguments: the app's tool runs from now until its output. */
  private _functionCallReady(event: Fields): void {
    const callId = stringOf(event.call_id);
    if (callId === undefined || this._toolCalls.has(callId)) return;
    const name = stringOf(event.name) ?? this._toolNames.get(callId);
    if (name === undefined) return;
    const response = this._responseOf(event.response_id);
    if (response !== undefined) response.functionCall = true;
    remember(this._toolCalls, callId, startToolCall(this._settings, name, this._agentName));
  }

  /** An item entered the conversation; a function call's output ends its tool call (the first sight of it counts). */
  private _itemAdded(value: unknown): void {
    const item = fieldsOf(value);
    if (item?.type !== 'function_call_output') return;
    const callId = stringOf(item.call_id);
    if (callId === undefined) return;
    this._toolCalls.get(callId)?.end();
    this._toolCalls.delete(callId);
    this._toolNames.delete(callId);
  }

  /** The app cut a reply short where the user stopped listening: a barge-in, even on a reply already generated. */
  private _truncated(itemId: unknown): void {
    if (typeof itemId === 'string') this._turnsByItem.get(itemId)?.interrupted();
  }

  private _responseDone(response: Fields | undefined): void {
    const now = performance.now();
    const open = this._responseOf(response?.id);
    const status = response?.status;
    const usage = readRealtimeUsage(response?.usage);
    if (open !== undefined) {
      for (const [key, value] of this._responses) if (value === open) this._responses.delete(key);
      const errorType =
        status === 'failed' ? this._metrics.errorType(failureCodeOf(response?.status_details)) : undefined;
      const firstChunk =
        open.firstChunkAt === undefined ? undefined : (open.firstChunkAt - open.createdAt) / 1000;
      this._metrics.response((now - open.createdAt) / 1000, firstChunk, errorType);
      if (usage !== undefined) open.turn.addUsage({ inputTokens: usage.input, outputTokens: usage.output });
      if (status === 'cancelled') {
        open.turn.interrupted();
        open.turn.end('interrupted');
      } else if (status === 'failed') {
        open.turn.end('error');
      } else {
        open.turn.end();
      }
      if (status === 'completed' && open.functionCall && !open.audio)
        this._carriedSpeechEnd = open.speechEndedAt;
    }
    if (usage !== undefined) this._metrics.usage(usage);
  }

  private _error(error: Fields | undefined): void {
    this._metrics.error(stringOf(error?.code) ?? stringOf(error?.type) ?? 'error');
    // A refused client event (invalid_request_error) says nothing of the turn; any other error that comes
    // while the user's speech waits for its response is what the user got instead of an answer.
    if (this._pendingTurn === undefined || error?.type === 'invalid_request_error') return;
    this._pendingTurn.end('error');
    this._pendingTurn = undefined;
    this._speechEndedAt = undefined;
  }

  private _rateLimits(value: unknown): void {
    if (!Array.isArray(value)) return;
    for (const entry of value) {
      const limit = fieldsOf(entry);
      const name = stringOf(limit?.name);
      if (name !== undefined)
        this._metrics.rateLimit(name, numberOf(limit?.limit), numberOf(limit?.remaining));
    }
  }

  /** Input transcription's usage: tokens under the transcription model, or seconds of audio transcribed. */
  private _transcribed(usage: Fields | undefined): void {
    if (usage === undefined) return;
    if (usage.type === 'duration') {
      const seconds = numberOf(usage.seconds);
      if (seconds !== undefined) this._lastTurn?.addUsage({ sttAudioSeconds: seconds });
      return;
    }
    const tokens = readRealtimeUsage(usage);
    if (tokens !== undefined) this._metrics.transcriptionUsage(tokens, this._transcriptionModel);
  }
}

/** An observer for one Realtime session (one socket). */
export function observeRealtimeSession(
  settings: Settings,
  source: RealtimeSessionSource,
): RealtimeSessionObserver {
  return new SessionObserver(settings, source);
}

export type { RealtimeSessionSource };
