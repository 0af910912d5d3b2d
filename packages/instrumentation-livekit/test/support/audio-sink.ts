import type { LiveKit } from './livekit.js';

/**
 * An audio output for a session without a room: a subclass of LiveKit's own `voice.AudioOutput` that
 * takes every frame at once and reports each segment played (or cleared) on the next turn of the loop,
 * as a sink that owns no playback device does. It counts the frames it was given.
 */
export function createAudioSink(agents: LiveKit): LiveKit & { frames: number } {
  class InstantAudioSink extends agents.voice.AudioOutput {
    frames = 0;
    private _open = false;

    constructor() {
      super(24_000);
    }

    async captureFrame(frame: unknown): Promise<void> {
      await super.captureFrame(frame);
      this.frames++;
      if (!this._open) {
        this._open = true;
        this.onPlaybackStarted(Date.now());
      }
    }

    flush(): void {
      super.flush();
      this._finish(false);
    }

    clearBuffer(): void {
      this._finish(true);
    }

    private _finish(interrupted: boolean): void {
      if (!this._open) return;
      this._open = false;
      setImmediate(() => this.onPlaybackFinished({ playbackPosition: 0, interrupted }));
    }
  }
  return new InstantAudioSink();
}
