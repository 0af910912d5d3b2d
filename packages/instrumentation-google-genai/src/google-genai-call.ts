import { GenAICall } from '@va/instrumentation-genai';

/**
 * One call of `models.generateContent`, `generateContentStream` or `embedContent`. The client aborts a
 * request with a plain `AbortError` both when its own `timeout` fires and when the caller's
 * `abortSignal` does; the caller's signal tells them apart: aborted, the call was canceled, otherwise
 * it timed out.
 */
export class GoogleGenAICall extends GenAICall {
  /** The caller's `config.abortSignal`, when it gave one. */
  callerSignal: { aborted?: unknown } | undefined;

  protected override errorTypeOf(error: unknown): string {
    const name = (error as { name?: unknown } | null)?.name;
    if (name === 'AbortError' && this.callerSignal?.aborted !== true) return 'timeout';
    return super.errorTypeOf(error);
  }
}
