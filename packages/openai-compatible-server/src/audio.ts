/**
 * `POST /v1/audio/transcriptions` (multipart upload) and `POST /v1/audio/speech` (bytes back).
 * The transcript is a fixed sentence a voice agent's user might say; the speech bytes are
 * deterministic filler, not playable audio, with a length proportional to the text.
 */
import { RequestError } from './errors.js';
import type { Exchange } from './exchange.js';
import type { MultipartForm } from './multipart.js';
import { replyLength, replyWords } from './reply.js';
import { SseWriter } from './sse.js';
import { StreamWriter } from './stream-writer.js';
import { transcriptionInputTokens, usageOf } from './usage.js';

/** Twelve words: what the fake user says. */
export const TRANSCRIPT_WORDS: readonly string[] = [
  'Hello,',
  'could',
  'you',
  'tell',
  'me',
  'what',
  'the',
  'weather',
  'will',
  'be',
  'like',
  'tomorrow?',
];

/** Speech is 32 bytes per character of input (about 16 kbit/s at 15 characters a second). */
export const SPEECH_BYTES_PER_CHAR = 32;
/** Speech arrives in this many chunks unless `chunks:<n>` says otherwise. */
export const SPEECH_CHUNKS = 4;

const SPEECH_CONTENT_TYPES: Record<string, string> = {
  mp3: 'audio/mpeg',
  opus: 'audio/opus',
  aac: 'audio/aac',
  flac: 'audio/flac',
  wav: 'audio/wav',
  pcm: 'audio/pcm',
};

/**
 * Only the gpt-4o transcription models report token usage (whisper-1 reports none), so
 * instrumentations must handle both.
 */
function reportsTokenUsage(model: string): boolean {
  return model.startsWith('gpt-4o');
}

function field(form: MultipartForm, name: string): string | undefined {
  const value = form.fields[name];
  return Array.isArray(value) ? value[0] : value;
}

export async function transcriptions(exchange: Exchange, form: MultipartForm): Promise<void> {
  const model = exchange.requireModel();
  const file = form.files['file'];
  if (file === undefined) throw new RequestError(400, "'file' is a required property.", 'file');
  const format = field(form, 'response_format') ?? 'json';
  if (format !== 'json' && format !== 'text' && format !== 'verbose_json') {
    throw new RequestError(400, `response_format '${format}' is not supported here.`, 'response_format');
  }
  const stream = field(form, 'stream') === 'true';
  if (stream && model === 'whisper-1') {
    throw new RequestError(400, 'Streaming is not supported for the whisper-1 model.', 'stream');
  }
  const { scenario } = exchange;
  const words = replyWords(replyLength(scenario.chunks, undefined), TRANSCRIPT_WORDS);
  const text = words.join(' ');
  const withUsage = reportsTokenUsage(model) && !scenario.noUsage;
  const usage = usageOf(transcriptionInputTokens(file.size), words.length, {});
  const usageBody = {
    type: 'tokens',
    input_tokens: usage.input,
    input_token_details: { text_tokens: 0, audio_tokens: usage.input },
    output_tokens: usage.output,
    total_tokens: usage.input + usage.output,
  };

  if (stream) {
    const sse = new SseWriter(exchange);
    for (const [index, word] of words.entries()) {
      await sse.send({ data: { type: 'transcript.text.delta', delta: index === 0 ? word : ` ${word}` } });
    }
    const done = { type: 'transcript.text.done', text, ...(withUsage ? { usage: usageBody } : {}) };
    await sse.finish([{ data: done }], withUsage ? usage : undefined, false);
    return;
  }

  await exchange.beforeNonStreaming();
  if (format === 'text') {
    exchange.sendBytes(200, 'text/plain; charset=utf-8', Buffer.from(text), withUsage ? usage : undefined);
    return;
  }
  // 16 kHz, 16-bit mono: 32,000 bytes a second, a plausible duration for the file size.
  const duration = Math.round((file.size / 32_000) * 100) / 100;
  const verbose =
    format === 'verbose_json'
      ? {
          task: 'transcribe',
          language: field(form, 'language') ?? 'english',
          duration,
          segments: [{ id: 0, seek: 0, start: 0, end: duration, text, tokens: [], temperature: 0 }],
        }
      : {};
  exchange.sendJson(
    200,
    { ...verbose, text, ...(withUsage ? { usage: usageBody } : {}) },
    withUsage ? usage : undefined,
  );
}

/** Deterministic bytes; the first two are an MPEG frame sync so a sniffer sees "audio". */
export function speechBytes(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let index = 0; index < length; index += 1) bytes[index] = (index * 31 + 7) & 0xff;
  if (length >= 2) {
    bytes[0] = 0xff;
    bytes[1] = 0xfb;
  }
  return bytes;
}

export async function speech(exchange: Exchange, body: Record<string, unknown>): Promise<void> {
  exchange.requireModel();
  const input = body['input'];
  if (typeof input !== 'string' || input === '') {
    throw new RequestError(400, "'input' must be a non-empty string.", 'input');
  }
  const format = typeof body['response_format'] === 'string' ? body['response_format'] : 'mp3';
  const contentType = SPEECH_CONTENT_TYPES[format];
  if (contentType === undefined) {
    throw new RequestError(400, `response_format '${format}' is not supported here.`, 'response_format');
  }
  const bytes = speechBytes(input.length * SPEECH_BYTES_PER_CHAR);
  const count = Math.min(bytes.length, Math.max(1, exchange.scenario.chunks ?? SPEECH_CHUNKS));
  const size = Math.ceil(bytes.length / count);
  const chunks: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += size) chunks.push(bytes.subarray(start, start + size));
  // Speech is streamed with chunked encoding, as OpenAI does, so a player can start early.
  const writer = new StreamWriter(exchange, contentType);
  await writer.finishRaw(chunks, undefined);
}
