// /v1/realtime with the clients that send `OpenAI-Beta: realtime=v1`: openai 4's only realtime
// client and openai 6's `openai/beta/realtime/ws`. They get the beta event names and shapes
// (`resources/beta/realtime/realtime.ts`), and the record holds exactly what they got.
import { afterEach, describe, expect, test } from 'vitest';
import { type ModalityTokens, realtimeUsage, TRANSCRIPT_WORDS } from '../src/index.js';
import { answerFunctionCall, closeConnections, connectBeta, only, pcm } from './realtime-support.js';
import { startServer } from './support.js';

afterEach(() => closeConnections());

const MODEL = 'gpt-4o-realtime-preview';

/** `turn_detection: null` turns server VAD off, as the beta types' own comment says; their type omits null. */
const NO_VAD = null as unknown as undefined;

function usage(input: ModalityTokens, cached: ModalityTokens, output: ModalityTokens) {
  return realtimeUsage(input, cached, output, 'beta');
}

const AUDIO_TURN_TAIL = [
  'response.created',
  'rate_limits.updated',
  'response.output_item.added',
  'conversation.item.created',
  'response.content_part.added',
  ...Array.from({ length: 4 }, () => ['response.audio.delta', 'response.audio_transcript.delta']).flat(),
  'response.audio.done',
  'response.audio_transcript.done',
  'response.content_part.done',
  'response.output_item.done',
  'response.done',
];

describe('/v1/realtime with a beta client (OpenAI-Beta: realtime=v1, beta events)', () => {
  test('openai 4: a server-VAD turn with transcription, in beta names and shapes; exact beta usage', async () => {
    const server = await startServer({ tls: true });
    const c = await connectBeta(server, MODEL, 4);
    const created = await c.waitFor('session.created');
    const session = only(server.realtimeSessions);
    expect(session.protocol).toBe('beta');
    expect(session.headers['openai-beta']).toBe('realtime=v1');
    expect(created.session).toEqual({
      id: session.id,
      object: 'realtime.session',
      expires_at: expect.any(Number),
      model: MODEL,
      modalities: ['audio', 'text'],
      instructions: '',
      voice: 'alloy',
      input_audio_format: 'pcm16',
      output_audio_format: 'pcm16',
      input_audio_transcription: null,
      input_audio_noise_reduction: null,
      turn_detection: {
        type: 'server_vad',
        threshold: 0.5,
        prefix_padding_ms: 300,
        silence_duration_ms: 40,
        create_response: true,
        interrupt_response: true,
      },
      tools: [],
      tool_choice: 'auto',
      temperature: 0.8,
      max_response_output_tokens: 'inf',
      speed: 1,
      tracing: null,
      client_secret: null,
      include: null,
    });

    c.send({
      type: 'session.update',
      session: {
        input_audio_transcription: { model: 'gpt-4o-transcribe' },
        voice: 'verse',
        temperature: 0.7,
      },
    });
    const updated = await c.waitFor('session.updated');
    expect(updated.session).toMatchObject({
      input_audio_transcription: { model: 'gpt-4o-transcribe' },
      voice: 'verse',
      temperature: 0.7,
      modalities: ['audio', 'text'],
    });
    c.send({ type: 'input_audio_buffer.append', audio: pcm(240) });
    c.send({ type: 'input_audio_buffer.append', audio: pcm(240) });
    const done = await c.waitFor('response.done');

    expect(c.types()).toEqual([
      'session.created',
      'session.updated',
      'input_audio_buffer.speech_started',
      'input_audio_buffer.speech_stopped',
      'input_audio_buffer.committed',
      'conversation.item.created',
      'conversation.item.input_audio_transcription.completed',
      ...AUDIO_TURN_TAIL,
    ]);
    const userItem = await c.waitFor('conversation.item.created');
    expect(userItem.item).toMatchObject({
      type: 'message',
      role: 'user',
      content: [{ type: 'input_audio' }],
    });
    expect((await c.waitFor('response.audio_transcript.done')).transcript).toBe('Hello! This is a');
    expect((await c.waitFor('response.audio.delta')).delta).toHaveLength(640);
    expect(done.response).toMatchObject({
      object: 'realtime.response',
      status: 'completed',
      status_details: null,
      modalities: ['audio', 'text'],
      output_audio_format: 'pcm16',
      voice: 'verse',
      temperature: 0.7,
      output: [
        {
          type: 'message',
          role: 'assistant',
          status: 'completed',
          content: [{ type: 'audio', transcript: 'Hello! This is a' }],
        },
      ],
    });
    // 480 ms of input audio is 5 tokens; 4 audio deltas are 20 audio tokens and 4 transcript words.
    expect(done.response.usage).toEqual({
      total_tokens: 29,
      input_tokens: 5,
      output_tokens: 24,
      input_token_details: {
        cached_tokens: 0,
        text_tokens: 0,
        audio_tokens: 5,
        cached_tokens_details: { text_tokens: 0, audio_tokens: 0 },
      },
      output_token_details: { text_tokens: 4, audio_tokens: 20 },
    });

    expect(session.sent).toEqual(c.events);
    expect(session.responses[0]).toMatchObject({
      status: 'completed',
      usage: done.response.usage,
      audioDeltas: 4,
    });
    expect(session.received[0]).toEqual({
      type: 'session.update',
      session: {
        input_audio_transcription: { model: 'gpt-4o-transcribe' },
        voice: 'verse',
        temperature: 0.7,
      },
    });
  });

  test('openai 4: barge-in cancels the reply (turn_detected); the next completes; usage as the GA one, beta-shaped', async () => {
    const server = await startServer({ tls: true });
    const c = await connectBeta(server, `${MODEL}@barge-in`, 4);
    c.send({ type: 'input_audio_buffer.append', audio: pcm(100) });
    const second = await c.waitFor('response.done', 2);
    const first = await c.waitFor('response.done', 1);
    const types = c.types();
    const bargeIn = types.indexOf('input_audio_buffer.speech_started', types.indexOf('response.created'));
    expect(types.slice(bargeIn - 4, bargeIn + 1)).toEqual([
      'response.audio.delta',
      'response.audio_transcript.delta',
      'response.audio.delta',
      'response.audio_transcript.delta',
      'input_audio_buffer.speech_started',
    ]);
    expect(first.response.status).toBe('cancelled');
    expect(first.response.status_details).toEqual({ type: 'cancelled', reason: 'turn_detected' });
    expect(first.response.usage).toEqual(
      usage({ text: 0, audio: 1 }, { text: 0, audio: 0 }, { text: 2, audio: 10 }),
    );
    expect(second.response.status).toBe('completed');
    expect(second.response.usage).toEqual(
      usage({ text: 0, audio: 19 }, { text: 0, audio: 1 }, { text: 4, audio: 20 }),
    );
    const session = only(server.realtimeSessions);
    expect(session.sent).toEqual(c.events);
    expect(session.responses.map((response) => response.usage)).toEqual([
      first.response.usage,
      second.response.usage,
    ]);
  });

  test('openai 4: a tool call with beta session fields; function_call_arguments.done as the beta event (no name)', async () => {
    const server = await startServer({ tls: true });
    const c = await connectBeta(server, `${MODEL}@tool-call`, 4);
    c.send({
      type: 'session.update',
      session: {
        instructions: 'Answer briefly',
        tools: [
          {
            type: 'function',
            name: 'lookup_weather',
            parameters: { type: 'object', properties: { city: { type: 'string' } } },
          },
        ],
        turn_detection: NO_VAD,
      },
    });
    expect((await c.waitFor('session.updated')).session).toMatchObject({
      instructions: 'Answer briefly',
      tools: [{ type: 'function', name: 'lookup_weather' }],
      turn_detection: null,
    });
    c.send({ type: 'input_audio_buffer.append', audio: pcm(200) });
    c.send({ type: 'input_audio_buffer.commit' });
    c.send({ type: 'response.create' });
    const call = await c.waitFor('response.function_call_arguments.done');
    expect(call).toEqual({
      type: 'response.function_call_arguments.done',
      event_id: expect.any(String),
      response_id: expect.any(String),
      item_id: expect.any(String),
      output_index: 0,
      call_id: expect.any(String),
      arguments: '{"city":"test"}',
    });
    const added = await c.waitFor('response.output_item.added');
    expect(added.item).toMatchObject({
      type: 'function_call',
      name: 'lookup_weather',
      call_id: call.call_id,
    });
    const first = await c.waitFor('response.done');
    // The instructions are 3 + 2 words; 200 ms is 2 audio tokens; the arguments are 2 fragments.
    expect(first.response.usage).toEqual(
      usage({ text: 5, audio: 2 }, { text: 0, audio: 0 }, { text: 2, audio: 0 }),
    );
    expect(c.types()).not.toContain('input_audio_buffer.speech_started');

    answerFunctionCall(c.send, call.call_id, 'sunny and warm');
    const second = await c.waitFor('response.done', 2);
    expect(second.response.status).toBe('completed');
    // The call (2) and its output (3 + 3 words) are text; the first response's input is cached.
    expect(second.response.usage).toEqual(
      usage({ text: 13, audio: 2 }, { text: 5, audio: 2 }, { text: 4, audio: 20 }),
    );
    expect(only(server.realtimeSessions).sent).toEqual(c.events);
  });

  test('openai 6 (beta/realtime/ws): a text reply through response.create modalities; item retrieval in beta shape', async () => {
    const server = await startServer({ tls: true });
    const c = await connectBeta(server, MODEL, 6);
    c.send({ type: 'session.update', session: { turn_detection: NO_VAD } });
    c.send({
      type: 'conversation.item.create',
      item: { type: 'message', role: 'assistant', content: [{ type: 'text', text: 'Earlier reply' }] },
    });
    c.send({
      type: 'conversation.item.create',
      item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'What is the weather' }] },
    });
    c.send({ type: 'response.create', response: { modalities: ['text'] } });
    const done = await c.waitFor('response.done');
    expect(c.types()).toEqual([
      'session.created',
      'session.updated',
      'conversation.item.created',
      'conversation.item.created',
      'response.created',
      'rate_limits.updated',
      'response.output_item.added',
      'conversation.item.created',
      'response.content_part.added',
      ...Array.from({ length: 4 }, () => 'response.text.delta'),
      'response.text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.done',
    ]);
    expect((await c.waitFor('response.text.done')).text).toBe('Hello! This is a');
    expect(done.response.modalities).toEqual(['text']);
    // 3 + 2 and 3 + 4 words of input text; 4 words out.
    expect(done.response.usage).toEqual(
      usage({ text: 12, audio: 0 }, { text: 0, audio: 0 }, { text: 4, audio: 0 }),
    );

    const earlier = await c.waitFor('conversation.item.created', 1);
    c.send({ type: 'conversation.item.retrieve', item_id: earlier.item.id! });
    expect((await c.waitFor('conversation.item.retrieved')).item).toMatchObject({
      id: earlier.item.id,
      role: 'assistant',
      content: [{ type: 'text', text: 'Earlier reply' }],
    });
    const reply = done.response.output![0]!;
    c.send({ type: 'conversation.item.retrieve', item_id: reply.id! });
    expect((await c.waitFor('conversation.item.retrieved', 2)).item).toEqual(reply);
    expect(reply.content).toEqual([{ type: 'text', text: 'Hello! This is a' }]);
    c.send({ type: 'conversation.item.retrieve', item_id: 'item_missing', event_id: 'evt_retrieve' });
    expect((await c.waitFor('error')).error).toEqual({
      type: 'invalid_request_error',
      code: 'item_retrieve_invalid_item_id',
      message: "Error retrieving item: the item with id 'item_missing' does not exist.",
      param: null,
      event_id: 'evt_retrieve',
    });
    const session = only(server.realtimeSessions);
    expect(session.protocol).toBe('beta');
    expect(session.sent).toEqual(c.events);
    expect(session.responses[0]).toMatchObject({ textDeltas: 4, usage: done.response.usage });
  });

  test('openai 4: push-to-talk with whisper-1 transcription; the retrieved item carries the transcript', async () => {
    const server = await startServer({ tls: true });
    const c = await connectBeta(server, MODEL, 4);
    c.send({
      type: 'session.update',
      session: { turn_detection: NO_VAD, input_audio_transcription: { model: 'whisper-1' } },
    });
    c.send({ type: 'input_audio_buffer.append', audio: pcm(300) });
    c.send({ type: 'input_audio_buffer.commit' });
    const transcribed = await c.waitFor('conversation.item.input_audio_transcription.completed');
    expect(transcribed.usage).toEqual({ type: 'duration', seconds: 1 });
    c.send({ type: 'conversation.item.retrieve', item_id: transcribed.item_id });
    expect((await c.waitFor('conversation.item.retrieved')).item).toMatchObject({
      id: transcribed.item_id,
      content: [{ type: 'input_audio', transcript: TRANSCRIPT_WORDS.join(' ') }],
    });
  });
});
