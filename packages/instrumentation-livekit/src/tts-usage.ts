import type { VoiceUsage } from '@va/instrumentation-voice';
import type { TTSMetrics } from './livekit-events.js';
import { nonNegative } from './non-negative.js';

/** Records the spend of a TTS report that counts, for the characters it synthesised. */
export type SpeechSpend = (report: TTSMetrics, characters: number) => void;

/** The usage of one TTS report: characters sent, seconds of audio produced. */
export function ttsUsageOf(report: TTSMetrics): VoiceUsage {
  const audioMs = nonNegative(report.audioDurationMs);
  return {
    ttsCharacters: nonNegative(report.charactersCount),
    ttsAudioSeconds: audioMs === undefined ? undefined : audioMs / 1000,
  };
}
