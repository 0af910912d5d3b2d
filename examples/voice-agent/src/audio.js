// The caller's audio. The demo has no microphone, so each utterance is a generated WAV file of
// the requested size: a valid file, so a real speech-to-text API accepts it too. Speech-to-speech
// calls stream the same tone as raw 20 ms frames, in the Realtime API's input format.

const SAMPLE_RATE = 16_000;
const BYTES_PER_SAMPLE = 2; // 16-bit mono PCM, what telephony and most STT pipelines use
const HEADER_BYTES = 44;
const MAX_BYTES = 2 * 1024 * 1024; // about a minute of speech
/** The Realtime API's default `audio/pcm` input: 24 kHz, 16-bit mono. */
const REALTIME_SAMPLE_RATE = 24_000;
const FRAME_MS = 20;

/** Seconds of speech in a WAV file of that many bytes: what STT vendors bill by. */
function audioSeconds(bytes) {
  return Math.max(0, bytes - HEADER_BYTES) / (SAMPLE_RATE * BYTES_PER_SAMPLE);
}

/** Seconds of the agent's speech in that many bytes of text-to-speech `pcm` output (24 kHz, 16-bit mono). */
function spokenSeconds(bytes) {
  return bytes / (REALTIME_SAMPLE_RATE * BYTES_PER_SAMPLE);
}

/** A quiet, slightly noisy 220 Hz tone, as a WAV file of `bytes` bytes (header included). */
function generateUtterance(bytes) {
  const size = Math.min(MAX_BYTES, Math.max(HEADER_BYTES + BYTES_PER_SAMPLE, Math.floor(bytes)));
  const samples = Math.floor((size - HEADER_BYTES) / BYTES_PER_SAMPLE);
  const buffer = Buffer.alloc(HEADER_BYTES + samples * BYTES_PER_SAMPLE);
  buffer.write('RIFF', 0, 'ascii');
  buffer.writeUInt32LE(buffer.length - 8, 4);
  buffer.write('WAVE', 8, 'ascii');
  buffer.write('fmt ', 12, 'ascii');
  buffer.writeUInt32LE(16, 16); // fmt chunk size
  buffer.writeUInt16LE(1, 20); // PCM
  buffer.writeUInt16LE(1, 22); // mono
  buffer.writeUInt32LE(SAMPLE_RATE, 24);
  buffer.writeUInt32LE(SAMPLE_RATE * BYTES_PER_SAMPLE, 28); // byte rate
  buffer.writeUInt16LE(BYTES_PER_SAMPLE, 32); // block align
  buffer.writeUInt16LE(8 * BYTES_PER_SAMPLE, 34); // bits per sample
  buffer.write('data', 36, 'ascii');
  buffer.writeUInt32LE(samples * BYTES_PER_SAMPLE, 40);
  writeTone(buffer, HEADER_BYTES, samples, SAMPLE_RATE);
  return buffer;
}

/** Writes `samples` samples of the quiet, slightly noisy 220 Hz tone at `offset`. */
function writeTone(buffer, offset, samples, sampleRate) {
  for (let index = 0; index < samples; index++) {
    const tone = Math.sin((2 * Math.PI * 220 * index) / sampleRate) * 2000;
    const noise = (Math.random() - 0.5) * 400;
    buffer.writeInt16LE(Math.round(tone + noise), offset + index * BYTES_PER_SAMPLE);
  }
}

/** One 20 ms frame of the tone as raw PCM16 at 24 kHz, base64: an `input_audio_buffer.append` payload. */
function realtimeFrame() {
  const samples = (REALTIME_SAMPLE_RATE * FRAME_MS) / 1000;
  const buffer = Buffer.alloc(samples * BYTES_PER_SAMPLE);
  writeTone(buffer, 0, samples, REALTIME_SAMPLE_RATE);
  return buffer.toString('base64');
}

module.exports = { audioSeconds, generateUtterance, realtimeFrame, spokenSeconds, FRAME_MS, MAX_BYTES };
