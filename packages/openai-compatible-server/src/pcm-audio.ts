/** `audio/pcm` at 24 kHz, 16-bit mono: the Realtime API's default input format. */
export const PCM_BYTES_PER_MS = 48;

/**
 * `ms` milliseconds of that audio, base64-encoded as `input_audio_buffer.append` carries it: what a test
 * or the demo streams as the user's speech. The server's VAD reads only its length.
 */
export function pcmAudio(ms: number): string {
  return Buffer.alloc(Math.round(ms * PCM_BYTES_PER_MS), 1).toString('base64');
}
