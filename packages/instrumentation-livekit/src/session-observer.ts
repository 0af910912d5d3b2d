import type { VoiceSession, VoiceTracker, VoiceTurn, VoiceUsage } from '@va/instrumentation-voice';
import type { GenAIMetrics } from './genai-metrics.js';
import type {
  AgentMetrics,
  EOUMetrics,
  LLMMetrics,
  MetricsCollectedEvent,
  RealtimeModelMetrics,
  SpeechCreatedEvent,
  SpeechHandle,
  STTMetrics,
  TTSMetrics,
} from './livekit-events.js';
import { nonNegative } from './non-negative.js';
import { PendingUsage } from './pending-usage.js';
import { SpeechTurn } from './speech-turn.js';
import { type SpeechSpend, ttsUsageOf } from './tts-usage.js';

/** Replies kept after they ended, for their late metrics; only the latest few arrive late. */
const RECENTLY_ENDED = 64;
/**
 * Replies open at once. LiveKit runs one at a time (a few with preemptive generation); past this, replies
 * whose end never came (a missed `speech_created` without all three metrics) are handed to the tracker,
 * whose timeout closes them as `abandoned`.
 */
const MAX_OPEN = 256;

/**
 * What one `AgentSession` records: a voice turn per reply (`speechId`) that played, ended when its speech
 * handle is done (interrupted or not) or, for a reply whose `speech_created` was missed, as soon as its
 * end of utterance, LLM and TTS metrics are in; the GenAI metrics of its LLM and realtime-model calls;
 * the STT audio and TTS characters. It only reads the events it is given.
 */
export class SessionObserver {
  private readonly _genAI: GenAIMetrics;
  private _session: VoiceSession | undefined;
  private readonly _open = new Map<string, SpeechTurn>();
  /** The latest ended replies: their late metrics (a TTS segment closing after an interruption) still count on them. */
  private readonly _ended = new Map<string, SpeechTurn>();
  /** Usage that names no reply (STT has no `speechId`) goes on the latest turn, or waits for the first. */
  private _latestTurn: VoiceTurn | undefined;
  private readonly _pending = new PendingUsage();

  constructor(tracker: VoiceTracker, genAI: GenAIMetrics) {
    this._genAI = genAI;
    this._session = tracker.startSession();
  }

  private readonly _spendOnSpeech: SpeechSpend = (report, characters) =>
    this._genAI.speech(report, characters);

  speechCreated(event: SpeechCreatedEvent): void {
    const handle = event?.speechHandle;
    if (typeof handle?.id !== 'string' || typeof handle.addDoneCallback !== 'function') return;
    const speech = this._speech(handle.id);
    if (speech === undefined || speech.handle !== undefined) return;
    speech.handle = handle;
    handle.addDoneCallback((done: SpeechHandle) => this._done(handle.id, done));
  }

  metricsCollected(event: MetricsCollectedEvent): void {
    const metrics: AgentMetrics | undefined = event?.metrics;
    if (metrics === undefined || metrics === null) return;
    switch (metrics.type) {
      case 'eou_metrics':
        this._endOfUtterance(metrics as EOUMetrics);
        break;
      case 'llm_metrics':
        this._llm(metrics as LLMMetrics);
        break;
      case 'tts_metrics':
        this._tts(metrics as TTSMetrics);
        break;
      case 'stt_metrics':
        this._usage({ sttAudioSeconds: secondsOf((metrics as STTMetrics).audioDurationMs) });
        this._genAI.transcription(metrics as STTMetrics);
        break;
      case 'realtime_model_metrics':
        this._genAI.realtime(metrics as RealtimeModelMetrics);
        this._realtime(metrics as RealtimeModelMetrics);
        break;
    }
  }

  /**
   * The session closed (after LiveKit's own teardown): the replies still running get their turns, which
   * end as `abandoned` with the session; it leaves the active sessions and records its turns and tokens.
   * A session started again after its close counts as a new one.
   */
  closed(): void {
    const session = this._session;
    if (session === undefined) return;
    for (const speech of this._open.values()) {
      if (this._played(speech)) this._started(speech.open(session));
    }
    this._open.clear();
    this._ended.clear();
    session.end();
    this._session = undefined;
    this._latestTurn = undefined;
  }

  private _endOfUtterance(metrics: EOUMetrics): void {
    const speech = this._speech(metrics.speechId);
    speech?.endOfUtterance(metrics.endOfUtteranceDelayMs, metrics.transcriptionDelayMs);
    this._endIfComplete(metrics.speechId, speech);
  }

  private _llm(metrics: LLMMetrics): void {
    this._genAI.llm(metrics);
    const speech = this._speech(metrics.speechId);
    const usage = {
      inputTokens: nonNegative(metrics.promptTokens),
      outputTokens: nonNegative(metrics.completionTokens),
    };
    if (speech === undefined) {
      this._usage(usage);
      return;
    }
    speech.llm(metrics.ttftMs);
    speech.addUsage(usage);
    this._endIfComplete(metrics.speechId, speech);
  }

  private _tts(metrics: TTSMetrics): void {
    const speech = this._speech(metrics.speechId);
    if (speech === undefined) {
      // A report of no reply has nothing to tell a duplicate by: it counts as it comes.
      const usage = ttsUsageOf(metrics);
      this._usage(usage);
      this._spendOnSpeech(metrics, usage.ttsCharacters ?? 0);
      return;
    }
    speech.tts(metrics);
    this._endIfComplete(metrics.speechId, speech);
  }

  /**
   * A realtime model's response names no reply: it is the oldest announced reply still running that no
   * LLM, TTS or realtime metrics claimed (LiveKit runs a realtime model's replies one after another).
   */
  private _realtime(metrics: RealtimeModelMetrics): void {
    for (const [speechId, speech] of this._open) {
      if (speech.handle === undefined || !speech.awaitsModelOutput) continue;
      speech.realtime(metrics.ttftMs);
      this._endIfComplete(speechId, speech);
      return;
    }
  }

  /** Usage of no reply: on the latest turn, or kept for the next one. */
  private _usage(usage: VoiceUsage): void {
    if (this._latestTurn === undefined) this._pending.add(usage);
    else this._latestTurn.addUsage(usage);
  }

  /** The reply of an id, known or new; undefined without an id or an open session. */
  private _speech(speechId: unknown): SpeechTurn | undefined {
    if (typeof speechId !== 'string' || this._session === undefined) return undefined;
    const known = this._open.get(speechId) ?? this._ended.get(speechId);
    if (known !== undefined) return known;
    if (this._open.size >= MAX_OPEN) this._handOverOldest(this._session);
    const speech = new SpeechTurn(this._spendOnSpeech);
    this._open.set(speechId, speech);
    return speech;
  }

  /** Without a handle nothing else will end the reply: it ends once its latency's three parts are in. */
  private _endIfComplete(speechId: unknown, speech: SpeechTurn | undefined): void {
    if (speech === undefined || speech.handle !== undefined || !speech.complete) return;
    this._finish(speechId as string, speech, false);
  }

  private _done(speechId: string, handle: SpeechHandle): void {
    const speech = this._open.get(speechId);
    if (speech === undefined) return;
    this._finish(speechId, speech, handle.interrupted === true);
  }

  private _finish(speechId: string, speech: SpeechTurn, interrupted: boolean): void {
    this._remember(speechId, speech);
    const session = this._session;
    if (session === undefined) return;
    if (this._played(speech)) {
      this._started(speech.end(session, interrupted));
    } else if (this._latestTurn !== undefined) {
      // Dropped before it was scheduled (a preemptive generation LiveKit discarded): not a turn, but its usage was billed.
      speech.flushUsageTo(this._latestTurn);
    }
  }

  /** A reply without a handle is taken as played; one with a handle, if LiveKit scheduled it. */
  private _played(speech: SpeechTurn): boolean {
    return speech.handle === undefined || speech.handle.scheduled !== false;
  }

  private _started(turn: VoiceTurn): void {
    this._latestTurn = turn;
    this._pending.flushTo(turn);
  }

  private _handOverOldest(session: VoiceSession): void {
    for (const [speechId, speech] of this._open) {
      this._remember(speechId, speech);
      if (this._played(speech)) this._started(speech.open(session));
      return;
    }
  }

  private _remember(speechId: string, speech: SpeechTurn): void {
    this._open.delete(speechId);
    this._ended.set(speechId, speech);
    if (this._ended.size > RECENTLY_ENDED) {
      for (const oldest of this._ended.keys()) {
        this._ended.delete(oldest);
        break;
      }
    }
  }
}

function secondsOf(milliseconds: unknown): number | undefined {
  const value = nonNegative(milliseconds);
  return value === undefined ? undefined : value / 1000;
}
