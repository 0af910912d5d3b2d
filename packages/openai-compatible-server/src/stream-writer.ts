/**
 * Writes a response in chunks, the way a streaming endpoint does: headers at once, the first chunk
 * after the first-chunk delay, the next ones after the per-chunk delay. It applies `cut-after`
 * (destroy the socket after n chunks) so the endpoint handlers only say what to send.
 */
import type { Exchange } from './exchange.js';
import type { RecordedUsage } from './types.js';

export class StreamWriter {
  protected readonly exchange: Exchange;
  private _sent = 0;

  /** Sends the status line and headers now, as OpenAI does before the first chunk. */
  constructor(exchange: Exchange, contentType: string) {
    this.exchange = exchange;
    exchange.startStreaming(contentType);
  }

  /** Chunks written so far (a trailer such as `[DONE]` is not counted). */
  get sent(): number {
    return this._sent;
  }

  async sendRaw(chunk: string | Buffer): Promise<void> {
    await this._beforeChunk();
    await this.exchange.write(chunk);
    this._sent += 1;
  }

  /**
   * Sends the last chunks and the trailer, and ends the response, recording it before the final
   * bytes go out: a client that has read the whole response finds it in `server.responses`.
   */
  async finishRaw(
    finals: readonly (string | Buffer)[],
    usage: RecordedUsage | undefined,
    trailer?: string,
  ): Promise<void> {
    const last = finals.at(-1);
    for (const chunk of last === undefined ? finals : finals.slice(0, -1)) await this.sendRaw(chunk);
    if (last !== undefined && trailer === undefined) {
      await this._beforeChunk();
      this._sent += 1;
      this.exchange.endStream(usage, this._sent, last);
      return;
    }
    if (last !== undefined) await this.sendRaw(last);
    // A cut due after the last chunk still comes before the trailer: no `[DONE]`.
    if (trailer !== undefined) this._cutIfDue();
    this.exchange.endStream(usage, this._sent, trailer);
  }

  private async _beforeChunk(): Promise<void> {
    this._cutIfDue();
    const { timing } = this.exchange;
    await this.exchange.wait(this._sent === 0 ? timing.firstChunkMs() : timing.perChunkMs());
  }

  private _cutIfDue(): void {
    const { cutAfter } = this.exchange.scenario;
    if (cutAfter !== undefined && this._sent >= cutAfter) this.exchange.cut(this._sent);
  }
}
