import type { PriceTable } from './prices.js';

/**
 * List prices in US dollars per million tokens, copied by hand from https://openai.com/api/pricing
 * (standard tier) and stored here: the package never fetches prices over the network.
 * Prices change; supply your own table (`prices` option or `VA_GENAI_PRICES_FILE`) to correct or extend it.
 */
export const BUILT_IN_PRICES_AS_OF = '2025-08-07';

/** When the Realtime models' prices below were read from their model pages. */
export const REALTIME_PRICES_AS_OF = '2026-12-07';

/** When the speech-to-text and text-to-speech prices below were read. */
export const VOICE_PRICES_AS_OF = '2026-12-07';

export const BUILT_IN_PRICES: PriceTable = Object.freeze({
  'gpt-5': { input: 1.25, cachedInput: 0.125, output: 10 },
  'gpt-5-mini': { input: 0.25, cachedInput: 0.025, output: 2 },
  'gpt-5-nano': { input: 0.05, cachedInput: 0.005, output: 0.4 },
  'gpt-4.1': { input: 2, cachedInput: 0.5, output: 8 },
  'gpt-4.1-mini': { input: 0.4, cachedInput: 0.1, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, cachedInput: 0.025, output: 0.4 },
  'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 },
  'gpt-4o-mini': { input: 0.15, cachedInput: 0.075, output: 0.6 },
  o1: { input: 15, cachedInput: 7.5, output: 60 },
  o3: { input: 2, cachedInput: 0.5, output: 8 },
  'o3-mini': { input: 1.1, cachedInput: 0.55, output: 4.4 },
  'o4-mini': { input: 1.1, cachedInput: 0.275, output: 4.4 },
  'gpt-4-turbo': { input: 10, output: 30 },
  'gpt-3.5-turbo': { input: 0.5, output: 1.5 },
  'text-embedding-3-small': { input: 0.02 },
  'text-embedding-3-large': { input: 0.13 },
  'text-embedding-ada-002': { input: 0.1 },
  // Realtime models: text, audio and image prices as each model's page on developers.openai.com
  // (/api/docs/models/<model>) listed them when read on REALTIME_PRICES_AS_OF. Dated snapshots match as
  // above, so an older snapshot priced differently at its time (gpt-4o-realtime-preview-2024-10-01) gets
  // today's price of its base model. gpt-realtime and gpt-realtime-mini (and their dated snapshots) are left
  // out: no official page we could read gave their audio prices; set them in `prices` if you use them. Transcription models (gpt-4o-transcribe, whisper-1 per minute) are
  // left out too: the transcription endpoint's usage is recorded unsplit, so an audio price would not apply.
  'gpt-realtime-1.5': {
    input: 4,
    cachedInput: 0.4,
    output: 16,
    audioInput: 32,
    cachedAudioInput: 0.4,
    audioOutput: 64,
    imageInput: 5,
    cachedImageInput: 0.5,
  },
  'gpt-realtime-2': {
    input: 4,
    cachedInput: 0.4,
    output: 24,
    audioInput: 32,
    cachedAudioInput: 0.4,
    audioOutput: 64,
    imageInput: 5,
    cachedImageInput: 0.5,
  },
  'gpt-realtime-2.1': {
    input: 4,
    cachedInput: 0.4,
    output: 24,
    audioInput: 32,
    cachedAudioInput: 0.4,
    audioOutput: 64,
    imageInput: 5,
    cachedImageInput: 0.5,
  },
  'gpt-realtime-2.1-mini': {
    input: 0.6,
    cachedInput: 0.06,
    output: 2.4,
    audioInput: 10,
    cachedAudioInput: 0.3,
    audioOutput: 20,
    imageInput: 0.8,
    cachedImageInput: 0.08,
  },
  'gpt-4o-realtime-preview': {
    input: 5,
    cachedInput: 2.5,
    output: 20,
    audioInput: 40,
    cachedAudioInput: 2.5,
    audioOutput: 80,
  },
  'gpt-4o-mini-realtime-preview': {
    input: 0.6,
    cachedInput: 0.3,
    output: 2.4,
    audioInput: 10,
    cachedAudioInput: 0.3,
    audioOutput: 20,
  },
  // Speech to text billed by the minute of audio and text to speech billed by the character, as OpenAI's
  // pricing page lists them (VOICE_PRICES_AS_OF); LiveKit's STT and TTS metrics are priced by them.
  // Deepgram, ElevenLabs and Cartesia are not built in: their rates depend on the plan (credits, tiers,
  // streaming or batch), and their pricing pages could not be read from where this table was written;
  // docs/configuration.md shows how to add them.
  'whisper-1': { perMinuteOfAudio: 0.006 },
  'tts-1': { perMillionCharacters: 15 },
  'tts-1-hd': { perMillionCharacters: 30 },
});
