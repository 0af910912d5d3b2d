import { toFile } from 'openai';
import { describe, expect, it } from 'vitest';
import { clientFor, scenario, startServer } from './support.js';

const TRANSCRIPT = 'Hello, could you tell me what the weather will be like tomorrow?';

describe('POST /v1/embeddings', () => {
  it('answers the base64 the client asks for by default, which the client decodes to float arrays', async () => {
    const server = await startServer();
    const result = await clientFor(server).embeddings.create({
      model: 'text-embedding-3-small',
      input: ['one two', 'three'],
    });
    // The client, not the caller, chose base64.
    expect(server.requests[0]?.body).toMatchObject({ encoding_format: 'base64' });
    expect(result.object).toBe('list');
    expect(result.model).toBe('text-embedding-3-small');
    expect(result.data.map((item) => [item.object, item.index, item.embedding.length])).toEqual([
      ['embedding', 0, 8],
      ['embedding', 1, 8],
    ]);
    const norm = Math.hypot(...(result.data[0]?.embedding ?? []));
    expect(norm).toBeCloseTo(1, 5);
    expect(result.usage).toEqual({ prompt_tokens: 3, total_tokens: 3 });
    expect(server.responses[0]).toMatchObject({
      model: 'text-embedding-3-small',
      usage: { input: 3, output: 0, cachedInput: 0, reasoningOutput: 0 },
    });
  });

  it('answers floats when asked, with the requested dimensions, equal to the decoded base64 of the same input', async () => {
    const server = await startServer();
    const client = clientFor(server);
    const floats = await client.embeddings.create({
      model: 'text-embedding-3-large',
      input: 'hello world',
      dimensions: 16,
      encoding_format: 'float',
    });
    const decoded = await client.embeddings.create({
      model: 'text-embedding-3-large',
      input: 'hello world',
      dimensions: 16,
    });
    expect(floats.data[0]?.embedding).toHaveLength(16);
    expect(decoded.data[0]?.embedding).toEqual(floats.data[0]?.embedding);
    const other = await client.embeddings.create({
      model: 'text-embedding-3-large',
      input: 'goodbye',
      dimensions: 16,
    });
    expect(other.data[0]?.embedding).not.toEqual(floats.data[0]?.embedding);
  });
});

describe('POST /v1/audio/transcriptions', () => {
  it('transcribes with whisper-1: text only, and records the form fields and the file size', async () => {
    const server = await startServer();
    const file = await toFile(Buffer.alloc(1234, 1), 'question.wav', { type: 'audio/wav' });
    const result = await clientFor(server).audio.transcriptions.create({ file, model: 'whisper-1' });
    expect(result).toEqual({ text: TRANSCRIPT });
    expect(server.requests[0]?.body).toEqual({
      model: 'whisper-1',
      file: { filename: 'question.wav', contentType: 'audio/wav', size: 1234 },
    });
    expect(server.requests[0]?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(server.responses[0]).toMatchObject({
      path: '/v1/audio/transcriptions',
      model: 'whisper-1',
      status: 200,
    });
    expect(server.responses[0]).not.toHaveProperty('usage');
  });

  it('reports token usage for gpt-4o transcription models, input tokens from the file size', async () => {
    const server = await startServer();
    const client = clientFor(server);
    const file = await toFile(Buffer.alloc(1234), 'question.mp3', { type: 'audio/mpeg' });
    const result = await client.audio.transcriptions.create({ file, model: 'gpt-4o-transcribe' });
    expect(result).toEqual({
      text: TRANSCRIPT,
      usage: {
        type: 'tokens',
        input_tokens: 13,
        input_token_details: { text_tokens: 0, audio_tokens: 13 },
        output_tokens: 12,
        total_tokens: 25,
      },
    });
    expect(server.responses[0]?.usage).toEqual({ input: 13, output: 12, cachedInput: 0, reasoningOutput: 0 });

    const text = await client.audio.transcriptions.create({
      file: await toFile(Buffer.alloc(10), 'short.wav'),
      model: 'gpt-4o-mini-transcribe',
      response_format: 'text',
    });
    expect(text).toBe(TRANSCRIPT);
  });

  it('streams a transcription as transcript.text.delta events and a done event with usage', async () => {
    const server = await startServer();
    const stream = await clientFor(server).audio.transcriptions.create(
      {
        file: await toFile(Buffer.alloc(300), 'question.wav'),
        model: 'gpt-4o-mini-transcribe',
        stream: true,
      },
      scenario('chunks:3'),
    );
    const events: unknown[] = [];
    for await (const event of stream) events.push(event);
    expect(events).toEqual([
      { type: 'transcript.text.delta', delta: 'Hello,' },
      { type: 'transcript.text.delta', delta: ' could' },
      { type: 'transcript.text.delta', delta: ' you' },
      {
        type: 'transcript.text.done',
        text: 'Hello, could you',
        usage: {
          type: 'tokens',
          input_tokens: 3,
          input_token_details: { text_tokens: 0, audio_tokens: 3 },
          output_tokens: 3,
          total_tokens: 6,
        },
      },
    ]);
    expect(server.responses[0]).toMatchObject({ stream: true, chunks: 4 });
  });
});

describe('POST /v1/audio/speech', () => {
  it('streams 32 bytes of audio/mpeg per input character, in 4 chunks', async () => {
    const server = await startServer();
    const response = await clientFor(server).audio.speech.create({
      model: 'gpt-4o-mini-tts',
      voice: 'alloy',
      input: 'Hello there',
    });
    expect(response.headers.get('content-type')).toBe('audio/mpeg');
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.length).toBe(11 * 32);
    expect(server.responses[0]).toMatchObject({
      path: '/v1/audio/speech',
      model: 'gpt-4o-mini-tts',
      status: 200,
      stream: true,
      chunks: 4,
    });
    expect(server.requests[0]?.body).toEqual({
      model: 'gpt-4o-mini-tts',
      voice: 'alloy',
      input: 'Hello there',
    });
  });
});

describe('GET /v1/models', () => {
  it('lists a few models', async () => {
    const server = await startServer();
    const ids: string[] = [];
    for await (const model of clientFor(server).models.list()) ids.push(model.id);
    expect(ids).toContain('gpt-4o-mini');
    expect(ids).toContain('whisper-1');
  });
});
