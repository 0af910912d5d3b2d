import type { ModelPrice, PriceTable } from './prices.js';

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

/**
 * When the Anthropic prices below were read: from the newest stored copy of Anthropic's pricing page
 * (https://platform.claude.com/docs/en/about-claude/pricing, the one whose table starts with Claude Fable
 * 5.1), its Chinese copy for the Sonnet and Haiku 4.x rows, and the model pages of the models that copy
 * lists apart (Sonnet 5, Haiku 5.5).
 */
export const ANTHROPIC_PRICES_AS_OF = '2026-12-07';

/**
 * The date of the copy of Google's Gemini API pricing page (https://ai.google.dev/gemini-api/docs/pricing,
 * Standard tier, paid) the Gemini prices below were read from: the newest whole copy found. Later partial
 * copies (September and October 2026) give the same 2.5 Pro, 2.5 Flash and 3.1 Pro Preview prices.
 */
export const GEMINI_PRICES_AS_OF = '2026-03-30';

// Anthropic bills prompt-cache writes above the input price (1.25× for five-minute writes, 2× for one-hour
// writes) and reads at 0.1× of it; the page lists each.
const CLAUDE_OPUS_4_5: ModelPrice = {
  input: 5,
  cacheWriteInput: 6.25,
  cacheWrite1hInput: 10,
  cachedInput: 0.5,
  output: 25,
};
const CLAUDE_OPUS_4: ModelPrice = {
  input: 15,
  cacheWriteInput: 18.75,
  cacheWrite1hInput: 30,
  cachedInput: 1.5,
  output: 75,
};
const CLAUDE_SONNET_4_6: ModelPrice = {
  input: 3,
  cacheWriteInput: 3.75,
  cacheWrite1hInput: 6,
  cachedInput: 0.3,
  output: 15,
};
// Sonnet 4 and 4.5 with the 1M-token context window (beta): a prompt over 200K input tokens is billed at
// $6 input and $22.50 output on the whole call (the page's long-context table), the caching multipliers
// applying to that input price (7.50, 12, 0.60).
const CLAUDE_SONNET_4: ModelPrice = {
  ...CLAUDE_SONNET_4_6,
  above: [
    {
      inputTokens: 200_000,
      input: 6,
      cacheWriteInput: 7.5,
      cacheWrite1hInput: 12,
      cachedInput: 0.6,
      output: 22.5,
    },
  ],
};
const CLAUDE_HAIKU_4_5: ModelPrice = {
  input: 1,
  cacheWriteInput: 1.25,
  cacheWrite1hInput: 2,
  cachedInput: 0.1,
  output: 5,
};

const GEMINI_2_5_FLASH_LITE: ModelPrice = {
  input: 0.1,
  cachedInput: 0.01,
  output: 0.4,
  audioInput: 0.3,
  cachedAudioInput: 0.03,
};

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
  // Anthropic (ANTHROPIC_PRICES_AS_OF), by the names its API takes; a dated snapshot
  // (claude-sonnet-4-5-20250929, or Vertex AI's claude-sonnet-4-5@20250929) finds its base. Left out:
  // Claude Fable and Mythos (limited availability, cache prices under a footnote the copy does not carry),
  // Opus 5.5 and Sonnet 5.5 (no row in the copy, and Sonnet 5.5's cache-read price changed on 2026-10-07).
  // Sonnet 4.6 and later list their 1M-token window at one price (their model pages): no tier.
  'claude-opus-5': CLAUDE_OPUS_4_5,
  'claude-opus-4-8': CLAUDE_OPUS_4_5,
  'claude-opus-4-7': CLAUDE_OPUS_4_5,
  'claude-opus-4-6': CLAUDE_OPUS_4_5,
  'claude-opus-4-5': CLAUDE_OPUS_4_5,
  'claude-opus-4-1': CLAUDE_OPUS_4,
  'claude-opus-4': CLAUDE_OPUS_4,
  'claude-opus-4-0': CLAUDE_OPUS_4,
  'claude-sonnet-5': { input: 2, cacheWriteInput: 2.5, cacheWrite1hInput: 4, cachedInput: 0.2, output: 10 },
  'claude-sonnet-4-6': CLAUDE_SONNET_4_6,
  'claude-sonnet-4-5': CLAUDE_SONNET_4,
  'claude-sonnet-4': CLAUDE_SONNET_4,
  'claude-sonnet-4-0': CLAUDE_SONNET_4,
  // Haiku 5.5 is priced by prompt length: a prompt over 100,000 tokens (cache reads and writes included)
  // costs 5× on the whole call. Its model page lists input, output and both cache writes of the lower band
  // and input, output and the five-minute write of the upper one; the cache reads and the upper one-hour
  // write are the same 5× (0.01 → 0.05, 0.20 → 1.00).
  'claude-haiku-5-5': {
    input: 0.1,
    cacheWriteInput: 0.125,
    cacheWrite1hInput: 0.2,
    cachedInput: 0.01,
    output: 0.5,
    above: [
      {
        inputTokens: 100_000,
        input: 0.5,
        cacheWriteInput: 0.625,
        cacheWrite1hInput: 1,
        cachedInput: 0.05,
        output: 2.5,
      },
    ],
  },
  'claude-haiku-4-5': CLAUDE_HAIKU_4_5,
  'claude-3-5-haiku': {
    input: 0.8,
    cacheWriteInput: 1,
    cacheWrite1hInput: 1.6,
    cachedInput: 0.08,
    output: 4,
  },
  // Gemini (GEMINI_PRICES_AS_OF), Standard tier. The page's "context caching price" is the price of cached
  // input (its hourly storage price is billed apart, per cache, and not here); audio input and cached audio
  // apply to the tokens the API reports by modality. A stable version (gemini-2.0-flash-001) finds its
  // base; a preview is a model of its own name, listed when the page prices it.
  'gemini-3.1-pro-preview': {
    input: 2,
    cachedInput: 0.2,
    output: 12,
    above: [{ inputTokens: 200_000, input: 4, cachedInput: 0.4, output: 18 }],
  },
  'gemini-3.1-flash-lite-preview': {
    input: 0.25,
    cachedInput: 0.025,
    output: 1.5,
    audioInput: 0.5,
    cachedAudioInput: 0.05,
  },
  'gemini-3-flash-preview': {
    input: 0.5,
    cachedInput: 0.05,
    output: 3,
    audioInput: 1,
    cachedAudioInput: 0.1,
  },
  'gemini-2.5-pro': {
    input: 1.25,
    cachedInput: 0.125,
    output: 10,
    above: [{ inputTokens: 200_000, input: 2.5, cachedInput: 0.25, output: 15 }],
  },
  'gemini-2.5-flash': { input: 0.3, cachedInput: 0.03, output: 2.5, audioInput: 1, cachedAudioInput: 0.1 },
  'gemini-2.5-flash-lite': GEMINI_2_5_FLASH_LITE,
  // Listed on a row of its own at the same prices.
  'gemini-2.5-flash-lite-preview-09-2025': GEMINI_2_5_FLASH_LITE,
  'gemini-embedding-001': { input: 0.15 },
});
