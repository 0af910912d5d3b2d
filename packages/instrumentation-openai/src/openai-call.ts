import type { Attributes } from '@opentelemetry/api';
import { type CallRecorder, GenAICall, type TokenUsage } from '@va/instrumentation-genai';
import type { OperationSpec } from './operations.js';
import type { Settings } from './options.js';

/**
 * One call of an `openai` method (see GenAICall), with what only `openai` calls have: the operation's
 * result shape, the stream usage we asked for on the caller's behalf, and opt-in local token counting.
 */
export class OpenAICall extends GenAICall {
  private readonly _outputText: string[] | undefined;

  constructor(
    recorder: CallRecorder,
    override readonly settings: Settings,
    readonly operation: OperationSpec,
    attributes: Attributes,
    requestModel: string | undefined,
    streamed: boolean,
    /** We asked for stream usage on the caller's behalf, so the caller must not see its chunk. */
    readonly injectedStreamUsage: boolean,
    /** Only with opt-in local token counting. */
    readonly promptText: string | undefined,
  ) {
    super(recorder, settings, attributes, requestModel, streamed);
    this._outputText = settings.countTokens !== undefined && streamed ? [] : undefined;
  }

  /** An output chunk arrived; `text` is kept only for opt-in local token counting. */
  override outputChunk(text?: unknown): void {
    super.outputChunk();
    if (this._outputText !== undefined && typeof text === 'string') this._outputText.push(text);
  }

  /** Opt-in only: the user's tokenizer over the prompt and the streamed output. */
  protected override fallbackUsage(): TokenUsage | undefined {
    const { countTokens } = this.settings;
    if (countTokens === undefined || this._outputText === undefined) return undefined;
    const model = this.responseModel ?? this.requestModel ?? '';
    return {
      input: this.promptText === undefined ? undefined : countTokens(this.promptText, model),
      output: countTokens(this._outputText.join(''), model),
    };
  }
}
