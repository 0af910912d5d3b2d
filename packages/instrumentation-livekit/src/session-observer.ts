import type { VoiceSession, VoiceTracker, VoiceTurn } from '@va/instrumentation-voice';
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
import { nonNegative, SpeechTurn } from './speech-turn.js';

const RECENTLY_ENDED = 64;

/**
 * What one `AgentSession` records: a voice turn per reply (`speechId`), ended when its speech handle is
 * done (interrupted or not) or, for a reply whose `speech_created` was missed, as soon as its end of
 * utterance, LLM and TTS metrics are in; the GenAI metrics of its LLM and realtime-model calls; the
 * STT audio and TTS characters. It only reads the events it is given.
 */
export class SessionObserver {
  private readonly _genAI: GenAIMetrics;
  private _session: VoiceSession | undefined;
  private readonly _speeches = new Map<string, SpeechTurn>();
  /**
   * The latest ended replies: their late metrics (a TTS segment closing after an interruption, tokens)
   * still count on their turn instead of starting a new one. Bounded: only the latest few arrive late.
   */
  private readonly _ended = new Map<string, SpeechTurn>();
  /** STT usage has no `speechId`: it goes on the latest turn, or waits for the first one. */
  private _latestTurn: VoiceTurn | undefined;
  private _pendingSttSeconds = 0;

  constructor(tracker: VoiceTracker, genAI: GenAIMetrics) {
    this._genAI = genAI;
    this._session = tracker.startSession();
  }

  speechCreated(event: SpeechCreatedEvent): void {
    const handle = event?.speechHandle;
    if (typeof handle?.id !== 'string' || typeof handle.addDoneCallback !== 'function') return;
    const speech = this._speech(handle.id);
    if (speech === undefined || speech.hasHandle) return;
    speech.hasHandle = true;
    handle.addDoneCallback((done: SpeechHandle) => this._end(handle.id, done.interrupted === true));
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
        this._stt(metrics as STTMetrics);
        break;
      case 'realtime_model_metrics':
        this._genAI.realtime(metrics as RealtimeModelMetrics);
        break;
    }
  }

  /** The session closed: its open turns end (as `abandoned`) and it leaves the active sessions. */
  closed(): void {
    this._speeches.clear();
    this._ended.clear();
    this._session?.end();
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
    if (speech === undefined) return;
    speech.llm(metrics.ttftMs);
    speech.turn.addUsage({
      inputTokens: nonNegative(metrics.promptTokens),
      outputTokens: nonNegative(metrics.completionTokens),
    });
    this._endIfComplete(metrics.speechId, speech);
  }

  private _tts(metrics: TTSMetrics): void {
    const speech = this._speech(metrics.speechId);
    const characters = nonNegative(metrics.charactersCount);
    (speech?.turn ?? this._latestTurn)?.addUsage({ ttsCharacters: characters });
    if (speech === undefined) return;
    speech.tts(metrics.ttfbMs);
    this._endIfComplete(metrics.speechId, speech);
  }

  private _stt(metrics: STTMetrics): void {
    const milliseconds = nonNegative(metrics.audioDurationMs);
    if (milliseconds === undefined) return;
    if (this._latestTurn === undefined) this._pendingSttSeconds += milliseconds / 1000;
    else this._latestTurn.addUsage({ sttAudioSeconds: milliseconds / 1000 });
  }

  /** The turn of a reply, started on its first event; undefined without an id or an open session. */
  private _speech(speechId: unknown): SpeechTurn | undefined {
    if (typeof speechId !== 'string') return undefined;
    const known = this._speeches.get(speechId) ?? this._ended.get(speechId);
    if (known !== undefined) return known;
    if (this._session === undefined || this._session.ended) return undefined;
    this._forgetClosedTurns();
    const speech = new SpeechTurn(this._session.startTurn());
    this._speeches.set(speechId, speech);
    this._latestTurn = speech.turn;
    if (this._pendingSttSeconds > 0) {
      speech.turn.addUsage({ sttAudioSeconds: this._pendingSttSeconds });
      this._pendingSttSeconds = 0;
    }
    return speech;
  }

  /** Without a handle nothing else will end the turn: it ends once latency's three parts are in. */
  private _endIfComplete(speechId: unknown, speech: SpeechTurn | undefined): void {
    if (speech === undefined || speech.hasHandle || !speech.complete) return;
    this._end(speechId, false);
  }

  private _end(speechId: unknown, interrupted: boolean): void {
    if (typeof speechId !== 'string') return;
    const speech = this._speeches.get(speechId);
    if (speech === undefined) return;
    this._remember(speechId, speech);
    speech.end(interrupted);
  }

  private _remember(speechId: string, speech: SpeechTurn): void {
    this._speeches.delete(speechId);
    this._ended.set(speechId, speech);
    if (this._ended.size > RECENTLY_ENDED) {
      for (const oldest of this._ended.keys()) {
        this._ended.delete(oldest);
        break;
      }
    }
  }

  /** Turns the tracker closed by itself (idle past its timeout) are dropped, so the map stays bounded. */
  private _forgetClosedTurns(): void {
    for (const [speechId, speech] of this._speeches) {
      if (speech.turn.ended) this._remember(speechId, speech);
    }
  }
}
