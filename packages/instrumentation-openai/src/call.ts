import type { Attributes } from '@opentelemetry/api';
import { copyOf, recordUsage, type TokenUsage, withAttribute } from '@va/instrumentation-genai';

import { CANCELED, errorTypeOf } from './error-type.js';
import { instrumentsOf } from './instruments.js';
import type { OperationSpec } from './operations.js';
import type { Settings } from './options.js';

import { reportFault } from './report-fault.js';

/**
 * One call of an `openai` method, from the moment it is made until its outcome is known: the
 * parsed response, the end of its stream, an error, or the caller walking away. It is recorded
 * exactly once, whichever of those comes first.
 */
export class GenAICall {
  private readonly _startedAt = performance.now();
  private _finished = false;
  private _firstChunkAt: number | undefined;
  private _lastChunkAt = 0;
  private readonly _chunkGaps: number[] = [];
  private readonly _outputText: string[] | undefined;

  /** The provider reported the model that answered (often a dated snapshot of the requested one). */
  responseModel: string | undefined;
  usage: TokenUsage | undefined;
  /** A stream reached its natural end marker (finish_reason, `response.completed` …). */
  completed = false;
  /** A stream delivered a failure as an event rather than an exception (`response.failed`). */
  streamFailure: string | undefined;
  /** The response body started to be parsed (`await`, `.then`, `.withResponse()`). */
  parseStarted = false;
  /** The parsed result (or stream) was taken in; a derived promise must not take it in again. */
  resultObserved = false;

  constructor(
    readonly settings: Settings,
    readonly operation: OperationSpec,
    /** gen_ai.operation.name, provider, request model, server address and port. */
    readonly attributes: Attributes,
    readonly requestModel: string | undefined,
    readonly streamed: boolean,
    /** We asked for stream usage on the caller's behalf, so the caller must not see its chunk. */
    readonly injectedStreamUsage: boolean,
    /** Only with opt-in local token counting. */
    readonly promptText: string | undefined,
  ) {
    this._outputText = settings.countTokens !== undefined && streamed ? [] : undefined;
  }

  get isFinished(): boolean {
    return this._finished;
  }

  /** An output chunk arrived; `text` is kept only for opt-in local token counting. */
  outputChunk(text?: unknown): void {
    const now = performance.now();
    if (this._firstChunkAt === undefined) this._firstChunkAt = now;
    else this._chunkGaps.push(now - this._lastChunkAt);
    this._lastChunkAt = now;
    if (this._outputText !== undefined && typeof text === 'string') this._outputText.push(text);
  }

  succeed(): void {
    this._finish(this.streamFailure);
  }

  fail(error: unknown): void {
    this._finish(errorTypeOf(error));
  }

  /** The caller left a stream early; a stream that already reached its end marker still counts as a success. */
  cancel(): void {
    this._finish(this.completed ? this.streamFailure : CANCELED);
  }

  private _finish(errorType: string | undefined): void {
    if (this._finished) return;
    this._finished = true;
    try {
      this._record(performance.now(), errorType);
    } catch (error) {
      reportFault('recording a call', error);
    }
  }

  private _record(endedAt: number, errorType: string | undefined): void {
    const { settings } = this;
    const instruments = instrumentsOf(settings.meterProvider);
    const responseModel =
      this.responseModel === undefined || settings.normalizeModel === undefined
        ? this.responseModel
        : settings.normalizeModel(this.responseModel);
    // A set of its own, never changed once recorded: without @va/otel-sdk's views the SDK keeps the very
    // object it was given as the key of its series. (The call's set itself may be shared or frozen.)
    const attributes =
      responseModel === undefined
        ? copyOf(this.attributes)
        : withAttribute(this.attributes, 'gen_ai.response.model', responseModel);
    // A stream records this set once per chunk: frozen, @va/otel-sdk resolves it to its series once and
    // later records skip the attribute hash. A set recorded once gains nothing from that.
    if (this._chunkGaps.length > 1) Object.freeze(attributes);

    instruments.duration.record(
      (endedAt - this._startedAt) / 1000,
      errorType === undefined ? attributes : withAttribute(attributes, 'error.type', errorType),
    );

    if (this._firstChunkAt !== undefined) {
      instruments.timeToFirstChunk.record((this._firstChunkAt - this._startedAt) / 1000, attributes);
      // Buffered while the stream runs and recorded here, in the consumer's final next(): chunks reach
      // the consumer at once, and the SDK's record() for each chunk's point, which on the SDK's default path
      // costs far more than our observation of the chunk, is paid after the stream's last chunk, not between
      // chunks (docs/benchmarks.md, LLM calls).
      for (const gap of this._chunkGaps) instruments.timePerOutputChunk.record(gap / 1000, attributes);
    }

    const usage = this.usage ?? this._countedLocally();
    if (usage === undefined) return;
    recordUsage(
      instruments,
      {
        priceOf: settings.priceOf,
        attributes,
        requestModel: this.requestModel,
        reportedResponseModel: this.responseModel,
        responseModel,
      },
      usage,
    );
  }

  /** Opt-in only: the user's tokenizer over the prompt and the streamed output. */
  private _countedLocally(): TokenUsage | undefined {
    const { countTokens } = this.settings;
    if (countTokens === undefined || this._outputText === undefined) return undefined;
    const model = this.responseModel ?? this.requestModel ?? '';
    return {
      input: this.promptText === undefined ? undefined : countTokens(this.promptText, model),
      output: countTokens(this._outputText.join(''), model),
    };
  }
}
