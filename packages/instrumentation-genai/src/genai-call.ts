import type { Attributes } from '@opentelemetry/api';
import { copyOf, withAttribute } from './attribute-sets.js';
import type { ClientSettings } from './client-settings.js';
import { CANCELED, errorTypeOf } from './error-type.js';
import { genAIInstrumentsOf, type InstrumentationScope } from './genai-instruments.js';
import { histogramsFor } from './operation-histograms.js';
import { recordUsage } from './record-usage.js';
import type { TokenUsage } from './token-usage.js';

/** Who records a call: the instrumentation's scope, and how it reports its own faults. */
export interface CallRecorder {
  readonly scope: InstrumentationScope;
  /** A fault of ours while recording, logged once per kind (see @va/instrumentation-base). */
  readonly reportFault: (action: string, error: unknown) => void;
}

/**
 * One call of an LLM client's method, from the moment it is made until its outcome is known: the
 * parsed response, the end of its stream, an error, or the caller walking away. It is recorded
 * exactly once, whichever of those comes first: duration (with `error.type` when it failed), time to
 * first chunk and between chunks for streams, tokens and cost. A client instrumentation fills in what
 * it reads (`responseModel`, `usage`, `outputChunk()`, `completed`) and ends it.
 */
export class GenAICall {
  private readonly _startedAt = performance.now();
  private _finished = false;
  private _firstChunkAt: number | undefined;
  private _lastChunkAt = 0;
  private readonly _chunkGaps: number[] = [];

  /** The provider reported the model that answered (often a dated snapshot of the requested one). */
  responseModel: string | undefined;
  usage: TokenUsage | undefined;
  /** A stream reached its natural end marker (finish_reason, `message_stop`, `response.completed` …). */
  completed = false;
  /** A stream delivered a failure as an event rather than an exception (`response.failed`). */
  streamFailure: string | undefined;
  /** The response body started to be parsed (`await`, `.then`, `.withResponse()`). */
  parseStarted = false;
  /** The parsed result (or stream) was taken in; a derived promise must not take it in again. */
  resultObserved = false;

  constructor(
    readonly recorder: CallRecorder,
    readonly settings: ClientSettings,
    /** gen_ai.operation.name, provider, request model, server address and port (callAttributes()). */
    readonly attributes: Attributes,
    readonly requestModel: string | undefined,
    readonly streamed: boolean,
  ) {}

  get isFinished(): boolean {
    return this._finished;
  }

  /** An output chunk arrived. */
  outputChunk(): void {
    const now = performance.now();
    if (this._firstChunkAt === undefined) this._firstChunkAt = now;
    else this._chunkGaps.push(now - this._lastChunkAt);
    this._lastChunkAt = now;
  }

  succeed(): void {
    this._finish(this.streamFailure);
  }

  fail(error: unknown): void {
    this._finish(this.errorTypeOf(error));
  }

  /** The caller left a stream early; a stream that already reached its end marker still counts as a success. */
  cancel(): void {
    this._finish(this.completed ? this.streamFailure : CANCELED);
  }

  /** `error.type` of a failure; a client whose errors carry a kind the common order misses reads it first. */
  protected errorTypeOf(error: unknown): string {
    return errorTypeOf(error);
  }

  /** Usage for a call whose provider reported none; a client's opt-in counting overrides it. */
  protected fallbackUsage(): TokenUsage | undefined {
    return undefined;
  }

  private _finish(errorType: string | undefined): void {
    if (this._finished) return;
    this._finished = true;
    try {
      this._record(performance.now(), errorType);
    } catch (error) {
      this.recorder.reportFault('recording a call', error);
    }
  }

  private _record(endedAt: number, errorType: string | undefined): void {
    const { settings } = this;
    const instruments = genAIInstrumentsOf(this.recorder.scope, settings.meterProvider, settings.conventions);
    const operationName = this.attributes['gen_ai.operation.name'];
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

    const durationAttributes =
      errorType === undefined ? attributes : withAttribute(attributes, 'error.type', errorType);
    for (const histogram of histogramsFor(instruments, 'duration', operationName))
      histogram.record((endedAt - this._startedAt) / 1000, durationAttributes);

    if (this._firstChunkAt !== undefined) {
      for (const histogram of histogramsFor(instruments, 'timeToFirstChunk', operationName))
        histogram.record((this._firstChunkAt - this._startedAt) / 1000, attributes);
      // Buffered while the stream runs and recorded here, in the consumer's final next(): chunks reach
      // the consumer at once, and the SDK's record() for each chunk's point, which on the SDK's default path
      // costs far more than our observation of the chunk, is paid after the stream's last chunk, not between
      // chunks (docs/benchmarks.md, LLM calls).
      for (const histogram of histogramsFor(instruments, 'timePerOutputChunk', operationName)) {
        for (const gap of this._chunkGaps) histogram.record(gap / 1000, attributes);
      }
    }

    recordUsage(
      instruments,
      {
        priceOf: settings.priceOf,
        attributes,
        requestModel: this.requestModel,
        reportedResponseModel: this.responseModel,
        responseModel,
        failed: errorType !== undefined,
      },
      this.usage ?? this.fallbackUsage(),
    );
  }
}
