/**
 * One `/v1/realtime` WebSocket session, written in the GA Realtime protocol (event names and shapes
 * of the `openai` client's `resources/realtime/realtime.ts`): server VAD turns from
 * `input_audio_buffer.append`, push-to-talk commits, responses in audio, text or a function call,
 * cancellation (barge-in, `response.cancel`), truncation, item retrieval and deletion,
 * `rate_limits.updated` and `error` events. Its RealtimeDialect turns what it sends into the beta
 * protocol for a beta client, and that client's events into GA ones. Its timings and its special
 * turns come from its RealtimeScenario; everything it sends is recorded as sent.
 */
import { performance } from 'node:perf_hooks';
import type { WebSocket } from 'ws';
import { TRANSCRIPT_WORDS } from './audio.js';
import { alphanumericId, nowSeconds } from './ids.js';
import { PCM_BYTES_PER_MS } from './pcm-audio.js';
import type { RealtimeDialect } from './realtime-dialect.js';
import type { RealtimeScenario } from './realtime-scenario.js';
import { type ModalityTokens, realtimeUsage } from './realtime-usage.js';
import { argumentFragments, firstToolName, REPLY_WORDS, replyDeltas, toolArguments } from './reply.js';
import type {
  RealtimeTranscriptionUsage,
  RecordedRealtimeResponse,
  RecordedRealtimeSession,
} from './types.js';
import { contentWords, countWords, isRecord, TOKENS_PER_MESSAGE } from './usage.js';

type Event = Record<string, unknown>;

/** One input audio token per 100 ms of user audio. */
const INPUT_AUDIO_MS_PER_TOKEN = 100;
/** Each output audio delta costs this many audio tokens. */
export const AUDIO_TOKENS_PER_DELTA = 5;
/** Each audio delta carries this many bytes of deterministic filler (10 ms of pcm16 at 24 kHz). */
const AUDIO_DELTA_BYTES = 480;
/** The utterance a `barge-in` directive makes the user say, as if it had been appended. */
const BARGE_IN_SPEECH_MS = 800;
/** `rate_limits.updated` starts from these limits and counts down per response. */
export const RATE_LIMITS = { requests: 5000, tokens: 400_000, resetSeconds: 60 } as const;
const DEFAULT_TOOL_NAME = 'get_weather';

/** Tokens an item of the conversation costs every later response, by modality. */
type ItemTokens = ModalityTokens;

/** An item of the conversation (GA shape, as last sent) and what it costs every later response. */
interface ConversationItem {
  item: Event;
  tokens: ItemTokens;
}

interface ActiveResponse {
  record: RecordedRealtimeResponse;
  cancel: (reason: 'turn_detected' | 'client_cancelled') => void;
}

class SessionClosed extends Error {}

export class RealtimeSession {
  private readonly _socket: WebSocket;
  private readonly _scenario: RealtimeScenario;
  private readonly _record: RecordedRealtimeSession;
  private readonly _dialect: RealtimeDialect;
  private readonly _session: Record<string, unknown>;
  private readonly _conversationId = alphanumericId('conv_', 20);
  private readonly _items: ConversationItem[] = [];
  /** Every scripted wait in progress: close() ends them all. */
  private readonly _pending = new Set<{ timer: NodeJS.Timeout; reject: (error: Error) => void }>();
  private _lastItemId: string | null = null;
  private _bufferBytes = 0;
  private _streamMs = 0;
  private _speechItemId: string | undefined;
  private _silence: NodeJS.Timeout | undefined;
  private _active: ActiveResponse | undefined;
  private _previousInput: ItemTokens = { text: 0, audio: 0 };
  private _tokensUsed = 0;
  private _turns = 0;
  private _awaitingToolOutput = false;
  private _closed = false;

  constructor(
    socket: WebSocket,
    model: string,
    scenario: RealtimeScenario,
    record: RecordedRealtimeSession,
    dialect: RealtimeDialect,
  ) {
    this._socket = socket;
    this._scenario = scenario;
    this._record = record;
    this._dialect = dialect;
    this._session = {
      type: 'realtime',
      object: 'realtime.session',
      id: record.id,
      model,
      output_modalities: ['audio'],
      instructions: '',
      tools: [],
      tool_choice: 'auto',
      max_output_tokens: 'inf',
      tracing: null,
      truncation: 'auto',
      prompt: null,
      expires_at: nowSeconds() + 3600,
      audio: {
        input: {
          format: { type: 'audio/pcm', rate: 24000 },
          transcription: null,
          noise_reduction: null,
          turn_detection: {
            type: 'server_vad',
            threshold: 0.5,
            prefix_padding_ms: 300,
            silence_duration_ms: scenario.silenceMs,
            idle_timeout_ms: null,
            create_response: true,
            interrupt_response: true,
          },
        },
        output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'alloy', speed: 1 },
      },
      include: null,
    };
    socket.on('message', (data) => this._receive(String(data)));
    socket.on('close', () => this.close());
    socket.on('error', () => this.close());
    this._send({ type: 'session.created', session: this._session });
  }

  /** Ends every timer and the response in flight; the socket is the caller's to close. */
  close(): void {
    if (this._closed) return;
    this._closed = true;
    this._record.closed = true;
    if (this._silence !== undefined) clearTimeout(this._silence);
    for (const pending of this._pending) {
      clearTimeout(pending.timer);
      pending.reject(new SessionClosed());
    }
    this._pending.clear();
  }

  /**
   * Sends a GA event in the client's dialect and records it as sent; `written` is called once its
   * bytes are handed to the socket (at once when the dialect has no such event).
   */
  private _send(event: Event, written?: () => void): void {
    if (this._closed) throw new SessionClosed();
    const shaped = this._dialect.toClient(event);
    if (shaped === undefined) {
      written?.();
      return;
    }
    const sent = { type: shaped['type'], event_id: alphanumericId('event_', 22), ...shaped };
    const json = JSON.stringify(sent);
    // A copy: the session object and items sent earlier change later, the record must not.
    this._record.sent.push(JSON.parse(json) as Event);
    this._socket.send(json, written);
  }

  private _wait(ms: number): Promise<void> {
    if (this._closed) return Promise.reject(new SessionClosed());
    return new Promise((resolve, reject) => {
      const pending = {
        timer: setTimeout(() => {
          this._pending.delete(pending);
          resolve();
        }, ms),
        reject,
      };
      this._pending.add(pending);
    });
  }

  /** Runs `action` after `ms` unless the session closes first. */
  private _later(ms: number, action: () => void): void {
    this._run(async () => {
      await this._wait(ms);
      action();
    });
  }

  /** Runs a scripted sequence; a session closed under it simply ends it. */
  private _run(task: () => Promise<void>): void {
    task().catch((error: unknown) => {
      if (!(error instanceof SessionClosed)) this._fail(error);
    });
  }

  private _fail(error: unknown): void {
    if (this._closed) return;
    this._error('server_error', 'server_error', error instanceof Error ? error.message : String(error));
  }

  private _error(type: string, code: string, message: string, clientEventId: unknown = null): void {
    this._send({
      type: 'error',
      error: {
        type,
        code,
        message,
        param: null,
        event_id: typeof clientEventId === 'string' ? clientEventId : null,
      },
    });
  }

  private _receive(text: string): void {
    if (this._closed) return;
    let event: unknown;
    try {
      event = JSON.parse(text);
    } catch {
      this._error('invalid_request_error', 'invalid_json', 'The client event is not valid JSON.');
      return;
    }
    if (!isRecord(event)) {
      this._error('invalid_request_error', 'invalid_event', 'A client event must be a JSON object.');
      return;
    }
    this._record.received.push(event);
    try {
      this._handle(this._dialect.fromClient(event));
    } catch (error) {
      if (!(error instanceof SessionClosed)) this._fail(error);
    }
  }

  private _handle(event: Event): void {
    const id = event['event_id'];
    switch (event['type']) {
      case 'session.update':
        this._updateSession(event['session']);
        this._send({ type: 'session.updated', session: this._session });
        return;
      case 'input_audio_buffer.append':
        this._append(typeof event['audio'] === 'string' ? event['audio'] : '');
        return;
      case 'input_audio_buffer.commit':
        if (this._bufferBytes === 0) {
          this._error(
            'invalid_request_error',
            'input_audio_buffer_commit_empty',
            'The input audio buffer is empty.',
            id,
          );
          return;
        }
        this._commit();
        return;
      case 'input_audio_buffer.clear':
        this._bufferBytes = 0;
        this._send({ type: 'input_audio_buffer.cleared' });
        return;
      case 'conversation.item.create':
        this._createItem(event['item']);
        return;
      case 'conversation.item.truncate':
        if (this._findItem(event, 'truncating', id) === undefined) return;
        this._send({
          type: 'conversation.item.truncated',
          item_id: event['item_id'],
          content_index: event['content_index'] ?? 0,
          audio_end_ms: event['audio_end_ms'] ?? 0,
        });
        return;
      case 'conversation.item.retrieve': {
        const found = this._findItem(event, 'retrieving', id);
        if (found !== undefined) this._send({ type: 'conversation.item.retrieved', item: found.item });
        return;
      }
      case 'conversation.item.delete': {
        const found = this._findItem(event, 'deleting', id);
        if (found === undefined) return;
        this._items.splice(this._items.indexOf(found), 1);
        if (this._lastItemId === found.item['id']) {
          this._lastItemId = (this._items.at(-1)?.item['id'] as string | undefined) ?? null;
        }
        this._send({ type: 'conversation.item.deleted', item_id: event['item_id'] });
        return;
      }
      case 'response.create':
        if (this._active !== undefined) {
          this._error(
            'invalid_request_error',
            'conversation_already_has_active_response',
            'Conversation already has an active response in progress.',
            id,
          );
          return;
        }
        this._respond(isRecord(event['response']) ? event['response'] : {}, 0);
        return;
      case 'response.cancel':
        if (this._active === undefined) {
          this._error(
            'invalid_request_error',
            'response_cancel_not_active',
            'There is no active response.',
            id,
          );
          return;
        }
        this._active.cancel('client_cancelled');
        return;
      default:
        this._error(
          'invalid_request_error',
          'invalid_event',
          `Unknown client event '${String(event['type'])}'.`,
          id,
        );
    }
  }

  /**
   * The item `item_id` names, or undefined after an `error` with the code the real API gives
   * (`item_retrieve_invalid_item_id`, `item_delete_invalid_item_id`, `item_truncate_invalid_item_id`).
   */
  private _findItem(
    event: Event,
    action: 'retrieving' | 'deleting' | 'truncating',
    clientEventId: unknown,
  ): ConversationItem | undefined {
    const itemId = event['item_id'];
    const found = this._items.find((entry) => entry.item['id'] === itemId);
    if (found === undefined) {
      const code = { retrieving: 'retrieve', deleting: 'delete', truncating: 'truncate' }[action];
      this._error(
        'invalid_request_error',
        `item_${code}_invalid_item_id`,
        `Error ${action} item: the item with id '${String(itemId)}' does not exist.`,
        clientEventId,
      );
    }
    return found;
  }

  private _updateSession(update: unknown): void {
    if (!isRecord(update)) return;
    for (const key of [
      'instructions',
      'tools',
      'tool_choice',
      'output_modalities',
      'max_output_tokens',
      'tracing',
      'truncation',
      'prompt',
      'include',
    ]) {
      if (key in update) this._session[key] = update[key];
    }
    const audio = update['audio'];
    if (!isRecord(audio)) return;
    const current = this._session['audio'] as {
      input: Record<string, unknown>;
      output: Record<string, unknown>;
    };
    const keys = {
      input: ['transcription', 'turn_detection', 'format', 'noise_reduction'],
      output: ['format', 'voice', 'speed'],
    };
    for (const side of ['input', 'output'] as const) {
      const given = audio[side];
      if (!isRecord(given)) continue;
      for (const key of keys[side]) if (key in given) current[side][key] = given[key];
    }
  }

  private _turnDetection(): Record<string, unknown> | undefined {
    const detection = (this._session['audio'] as { input: Record<string, unknown> }).input['turn_detection'];
    return isRecord(detection) ? detection : undefined;
  }

  private _append(audio: string): void {
    const bytes = Buffer.from(audio, 'base64').length;
    const startMs = this._streamMs;
    this._bufferBytes += bytes;
    this._streamMs += bytes / PCM_BYTES_PER_MS;
    if (this._turnDetection() === undefined) return;
    if (this._speechItemId === undefined) this._speechStarted(startMs);
    if (this._silence !== undefined) clearTimeout(this._silence);
    this._silence = setTimeout(() => {
      this._silence = undefined;
      this._run(async () => this._speechStopped());
    }, this._scenario.silenceMs);
  }

  /** The user started speaking: a response in progress is cancelled (barge-in). */
  private _speechStarted(audioStartMs: number): void {
    this._speechItemId = alphanumericId('item_', 22);
    this._send({
      type: 'input_audio_buffer.speech_started',
      audio_start_ms: Math.floor(audioStartMs),
      item_id: this._speechItemId,
    });
    if (this._active !== undefined && this._turnDetection()?.['interrupt_response'] !== false) {
      this._active.cancel('turn_detected');
    }
  }

  private _speechStopped(): void {
    if (this._speechItemId === undefined) return;
    this._send({
      type: 'input_audio_buffer.speech_stopped',
      audio_end_ms: Math.floor(this._streamMs),
      item_id: this._speechItemId,
    });
    this._commit();
    if (this._turnDetection()?.['create_response'] !== false) {
      this._respond({}, this._scenario.responseMs);
    }
  }

  /** Commits the buffer as a user audio item, with its transcription when the session asks for one. */
  private _commit(): void {
    const itemId = this._speechItemId ?? alphanumericId('item_', 22);
    this._speechItemId = undefined;
    const audioMs = this._bufferBytes / PCM_BYTES_PER_MS;
    this._bufferBytes = 0;
    const previous = this._lastItemId;
    this._send({ type: 'input_audio_buffer.committed', item_id: itemId, previous_item_id: previous });
    const item = {
      id: itemId,
      object: 'realtime.item',
      type: 'message',
      role: 'user',
      status: 'completed',
      content: [{ type: 'input_audio', transcript: null }],
    };
    this._addItem(item, { text: 0, audio: Math.ceil(audioMs / INPUT_AUDIO_MS_PER_TOKEN) });
    const transcription = (this._session['audio'] as { input: Record<string, unknown> }).input[
      'transcription'
    ];
    if (isRecord(transcription)) this._transcribe(item, audioMs, String(transcription['model'] ?? ''));
  }

  /** Transcribes a user audio item; its content gets the transcript, as `conversation.item.retrieve` shows. */
  private _transcribe(item: Event, audioMs: number, model: string): void {
    const itemId = item['id'];
    const transcript = TRANSCRIPT_WORDS.join(' ');
    item['content'] = [{ type: 'input_audio', transcript }];
    const audioTokens = Math.ceil(audioMs / INPUT_AUDIO_MS_PER_TOKEN);
    const usage: RealtimeTranscriptionUsage =
      model === 'whisper-1'
        ? { type: 'duration', seconds: Math.ceil(audioMs / 1000) }
        : {
            type: 'tokens',
            input_tokens: audioTokens,
            output_tokens: TRANSCRIPT_WORDS.length,
            total_tokens: audioTokens + TRANSCRIPT_WORDS.length,
            input_token_details: { text_tokens: 0, audio_tokens: audioTokens },
          };
    this._record.transcriptions.push(usage);
    this._send({
      type: 'conversation.item.input_audio_transcription.completed',
      item_id: itemId,
      content_index: 0,
      transcript,
      usage,
    });
  }

  private _addItem(item: Record<string, unknown>, tokens: ItemTokens): void {
    const previous = this._lastItemId;
    this._lastItemId = String(item['id']);
    this._items.push({ item, tokens });
    this._send({ type: 'conversation.item.added', previous_item_id: previous, item });
    this._send({ type: 'conversation.item.done', previous_item_id: previous, item });
  }

  private _createItem(raw: unknown): void {
    if (!isRecord(raw)) {
      this._error('invalid_request_error', 'invalid_value', 'conversation.item.create needs an item.');
      return;
    }
    const item: Record<string, unknown> = {
      id: alphanumericId('item_', 22),
      object: 'realtime.item',
      status: 'completed',
      ...raw,
    };
    let text = TOKENS_PER_MESSAGE;
    if (item['type'] === 'function_call_output') text += countWords(String(item['output'] ?? ''));
    else if (item['type'] === 'function_call') text += countWords(String(item['arguments'] ?? ''));
    else text += contentWords(item['content']);
    this._addItem(item, { text, audio: 0 });
  }

  private _rateLimits(): void {
    const responses = this._record.responses.length;
    this._send({
      type: 'rate_limits.updated',
      rate_limits: [
        {
          name: 'requests',
          limit: RATE_LIMITS.requests,
          remaining: RATE_LIMITS.requests - responses,
          reset_seconds: RATE_LIMITS.resetSeconds,
        },
        {
          name: 'tokens',
          limit: RATE_LIMITS.tokens,
          remaining: RATE_LIMITS.tokens - this._tokensUsed,
          reset_seconds: RATE_LIMITS.resetSeconds,
        },
      ],
    });
  }

  /** Starts a response after `delayMs`; the first turn follows the scenario's special cases. */
  private _respond(options: Record<string, unknown>, delayMs: number): void {
    const turn = this._turns++;
    const first = turn === 0;
    const toolOutput = this._awaitingToolOutput;
    this._awaitingToolOutput = false;
    const record: RecordedRealtimeResponse = {
      id: alphanumericId('resp_', 22),
      status: 'completed',
      audioDeltas: 0,
      textDeltas: 0,
    };
    let cancelled: 'turn_detected' | 'client_cancelled' | undefined;
    let wake: (() => void) | undefined;
    this._active = {
      record,
      cancel: (reason) => {
        cancelled ??= reason;
        wake?.();
      },
    };
    const sleep = (ms: number): Promise<void> =>
      cancelled !== undefined
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            wake = resolve;
            this._wait(ms).then(resolve, reject);
          });

    this._run(async () => {
      if (first && this._scenario.errorEvent) {
        this._active = undefined;
        await this._wait(delayMs);
        this._error('server_error', 'server_error', 'The server had an error while processing your request.');
        return;
      }
      await sleep(delayMs);
      const modalities = Array.isArray(options['output_modalities'])
        ? options['output_modalities']
        : (this._session['output_modalities'] as unknown[]);
      const audio = modalities.includes('audio');
      const audioOutput = (this._session['audio'] as { output: Record<string, unknown> }).output;
      const input = this._inputTokens();
      const response: Record<string, unknown> = {
        object: 'realtime.response',
        id: record.id,
        status: 'in_progress',
        status_details: null,
        output: [],
        conversation_id: this._conversationId,
        output_modalities: audio ? ['audio'] : ['text'],
        max_output_tokens: this._session['max_output_tokens'],
        audio: { output: { format: audioOutput['format'], voice: audioOutput['voice'] } },
        usage: null,
        metadata: null,
      };
      this._record.responses.push(record);
      this._send({ type: 'response.created', response });
      const createdAt = performance.now();
      this._rateLimits();

      const output = { text: 0, audio: 0 };
      let item: Record<string, unknown> | undefined;
      const finish = (
        status: 'completed' | 'cancelled' | 'failed',
        details: Record<string, unknown> | null,
      ) => {
        // The prefix the previous response read is cached, as prompt caching serves a growing conversation.
        const usage = realtimeUsage(
          input,
          {
            text: Math.min(this._previousInput.text, input.text),
            audio: Math.min(this._previousInput.audio, input.audio),
          },
          output,
        );
        record.status = status;
        record.usage = this._dialect.usage(usage);
        if (details !== null) record.statusDetails = details;
        this._active = undefined;
        this._previousInput = input;
        this._tokensUsed += usage.total_tokens;
        this._send({
          type: 'response.done',
          response: {
            ...response,
            status,
            status_details: details,
            output: item === undefined ? [] : [item],
            usage,
          },
        });
      };

      if (first && this._scenario.responseFailed) {
        await sleep(this._scenario.firstAudioMs);
        finish('failed', { type: 'failed', error: { type: 'server_error', code: 'server_error' } });
        return;
      }
      if (first && this._scenario.toolCall && !toolOutput) {
        item = await this._functionCall(record.id, output);
        // A call is sent whole; a cancel that arrived meanwhile still ends the response cancelled.
        if (cancelled !== undefined) {
          finish('cancelled', { type: 'cancelled', reason: cancelled });
          return;
        }
        this._awaitingToolOutput = true;
        finish('completed', null);
        return;
      }

      const itemId = alphanumericId('item_', 22);
      const outputIndex = { response_id: record.id, item_id: itemId, output_index: 0, content_index: 0 };
      item = {
        id: itemId,
        object: 'realtime.item',
        type: 'message',
        role: 'assistant',
        status: 'in_progress',
        content: [],
      };
      this._send({ type: 'response.output_item.added', response_id: record.id, output_index: 0, item });
      // In the conversation from now on (a client truncates or retrieves it mid-reply); costs come at the end.
      const entry: ConversationItem = { item, tokens: { text: 0, audio: 0 } };
      this._items.push(entry);
      this._send({ type: 'conversation.item.added', previous_item_id: this._lastItemId, item });
      this._send({
        type: 'response.content_part.added',
        ...outputIndex,
        part: audio ? { type: 'audio', transcript: '' } : { type: 'text', text: '' },
      });
      await sleep(this._scenario.firstAudioMs);
      const words: string[] = [];
      const deltas = replyDeltas(this._scenario.audioDeltas);
      for (const [index, delta] of deltas.entries()) {
        if (cancelled !== undefined) break;
        if (index > 0) await sleep(this._scenario.audioDeltaMs);
        if (cancelled !== undefined) break;
        record.firstDeltaMs ??= performance.now() - createdAt;
        if (audio) {
          this._send({
            type: 'response.output_audio.delta',
            ...outputIndex,
            delta: Buffer.alloc(AUDIO_DELTA_BYTES, index % 256).toString('base64'),
          });
          // A cut comes after this delta's bytes reach the socket, so the client gets all that was recorded.
          const written = new Promise<void>((resolve) =>
            this._send({ type: 'response.output_audio_transcript.delta', ...outputIndex, delta }, resolve),
          );
          if (first && this._scenario.cutAfterAudio === index + 1) await written;
          record.audioDeltas++;
          output.audio += AUDIO_TOKENS_PER_DELTA;
        } else {
          this._send({ type: 'response.output_text.delta', ...outputIndex, delta });
          record.textDeltas++;
        }
        output.text++;
        words.push(REPLY_WORDS[index % REPLY_WORDS.length]!);
        if (first && this._scenario.cutAfterAudio === index + 1) {
          record.status = 'cut';
          this._record.cut = true;
          this._active = undefined;
          this._socket.terminate();
          this.close();
          return;
        }
        if (first && this._scenario.bargeIn && index + 1 === this._scenario.bargeInAfter) this._bargeIn();
      }
      const text = words.join(' ');
      const status = cancelled === undefined ? 'completed' : 'cancelled';
      if (audio) {
        this._send({ type: 'response.output_audio.done', ...outputIndex });
        this._send({ type: 'response.output_audio_transcript.done', ...outputIndex, transcript: text });
      } else {
        this._send({ type: 'response.output_text.done', ...outputIndex, text });
      }
      const part = audio ? { type: 'audio', transcript: text } : { type: 'text', text };
      this._send({ type: 'response.content_part.done', ...outputIndex, part });
      item = {
        ...item,
        status: status === 'completed' ? 'completed' : 'incomplete',
        content: [audio ? { type: 'output_audio', transcript: text } : { type: 'output_text', text }],
      };
      this._send({ type: 'response.output_item.done', response_id: record.id, output_index: 0, item });
      this._send({ type: 'conversation.item.done', previous_item_id: this._lastItemId, item });
      this._lastItemId = itemId;
      entry.item = item;
      entry.tokens = { text: audio ? 0 : output.text, audio: output.audio };
      finish(status, cancelled === undefined ? null : { type: 'cancelled', reason: cancelled });
    });
  }

  /** The `barge-in` directive: the user speaks over the reply, then stops; as if they had appended audio. */
  private _bargeIn(): void {
    this._speechStarted(this._streamMs);
    this._streamMs += BARGE_IN_SPEECH_MS;
    this._bufferBytes += BARGE_IN_SPEECH_MS * PCM_BYTES_PER_MS;
    this._later(this._scenario.silenceMs, () => this._speechStopped());
  }

  private async _functionCall(responseId: string, output: ItemTokens): Promise<Record<string, unknown>> {
    const tools = this._session['tools'];
    const name = firstToolName(tools) ?? DEFAULT_TOOL_NAME;
    const args = toolArguments(tools);
    const itemId = alphanumericId('item_', 22);
    const callId = alphanumericId('call_', 16);
    const base = { id: itemId, object: 'realtime.item', type: 'function_call', name, call_id: callId };
    const added = { ...base, status: 'in_progress', arguments: '' };
    this._send({ type: 'response.output_item.added', response_id: responseId, output_index: 0, item: added });
    const entry: ConversationItem = { item: added, tokens: { text: 0, audio: 0 } };
    this._items.push(entry);
    this._send({ type: 'conversation.item.added', previous_item_id: this._lastItemId, item: added });
    await this._wait(this._scenario.firstAudioMs);
    const fragments = argumentFragments(args);
    for (const [index, delta] of fragments.entries()) {
      if (index > 0) await this._wait(this._scenario.audioDeltaMs);
      this._send({
        type: 'response.function_call_arguments.delta',
        response_id: responseId,
        item_id: itemId,
        output_index: 0,
        call_id: callId,
        delta,
      });
    }
    output.text = fragments.length;
    this._send({
      type: 'response.function_call_arguments.done',
      response_id: responseId,
      item_id: itemId,
      output_index: 0,
      call_id: callId,
      name,
      arguments: args,
    });
    const done = { ...base, status: 'completed', arguments: args };
    this._send({ type: 'response.output_item.done', response_id: responseId, output_index: 0, item: done });
    this._send({ type: 'conversation.item.done', previous_item_id: this._lastItemId, item: done });
    this._lastItemId = itemId;
    entry.item = done;
    entry.tokens = { text: fragments.length, audio: 0 };
    return done;
  }

  /** What a response reads: the instructions and every item of the conversation so far. */
  private _inputTokens(): ItemTokens {
    const instructions = String(this._session['instructions'] ?? '');
    const tokens = {
      text: instructions === '' ? 0 : TOKENS_PER_MESSAGE + countWords(instructions),
      audio: 0,
    };
    for (const { tokens: cost } of this._items) {
      tokens.text += cost.text;
      tokens.audio += cost.audio;
    }
    return tokens;
  }
}
