import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, test } from 'vitest';
import { TRANSCRIPT_WORDS, realtimeUsage as usage } from '../src/index.js';
import { answerFunctionCall, closeConnections, connect, only, pcm, until } from './realtime-support.js';
import { startServer } from './support.js';

afterEach(() => closeConnections());

const MODEL = 'gpt-realtime';

const AUDIO_TURN_TAIL = [
  'response.created',
  'rate_limits.updated',
  'response.output_item.added',
  'conversation.item.added',
  'response.content_part.added',
  ...Array.from({ length: 4 }, () => [
    'response.output_audio.delta',
    'response.output_audio_transcript.delta',
  ]).flat(),
  'response.output_audio.done',
  'response.output_audio_transcript.done',
  'response.content_part.done',
  'response.output_item.done',
  'conversation.item.done',
  'response.done',
];

describe('/v1/realtime with the openai client (wss://, GA events)', () => {
  test('a server-VAD turn: speech, transcription with usage, an audio reply, usage; the record is what was sent', async () => {
    const server = await startServer({ tls: true });
    const c = await connect(server, MODEL);
    await c.waitFor('session.created');
    c.send({
      type: 'session.update',
      session: { type: 'realtime', audio: { input: { transcription: { model: 'gpt-4o-transcribe' } } } },
    });
    await c.waitFor('session.updated');
    c.send({ type: 'input_audio_buffer.append', audio: pcm(240) });
    c.send({ type: 'input_audio_buffer.append', audio: pcm(240) });
    const done = await c.waitFor('response.done');

    expect(c.types()).toEqual([
      'session.created',
      'session.updated',
      'input_audio_buffer.speech_started',
      'input_audio_buffer.speech_stopped',
      'input_audio_buffer.committed',
      'conversation.item.added',
      'conversation.item.done',
      'conversation.item.input_audio_transcription.completed',
      ...AUDIO_TURN_TAIL,
    ]);
    expect((await c.waitFor('input_audio_buffer.speech_started')).audio_start_ms).toBe(0);
    expect((await c.waitFor('input_audio_buffer.speech_stopped')).audio_end_ms).toBe(480);
    const transcription = await c.waitFor('conversation.item.input_audio_transcription.completed');
    expect(transcription.usage).toEqual({
      type: 'tokens',
      input_tokens: 5,
      output_tokens: 12,
      total_tokens: 17,
      input_token_details: { text_tokens: 0, audio_tokens: 5 },
    });
    expect((await c.waitFor('response.output_audio_transcript.done')).transcript).toBe('Hello! This is a');
    expect((await c.waitFor('rate_limits.updated')).rate_limits).toEqual([
      { name: 'requests', limit: 5000, remaining: 4999, reset_seconds: 60 },
      { name: 'tokens', limit: 400000, remaining: 400000, reset_seconds: 60 },
    ]);
    expect(done.response.status).toBe('completed');
    // 480 ms of input audio is 5 tokens; 4 audio deltas are 20 audio tokens and 4 transcript words.
    expect(done.response.usage).toEqual({
      total_tokens: 29,
      input_tokens: 5,
      output_tokens: 24,
      input_token_details: {
        text_tokens: 0,
        audio_tokens: 5,
        image_tokens: 0,
        cached_tokens: 0,
        cached_tokens_details: { text_tokens: 0, audio_tokens: 0, image_tokens: 0 },
      },
      output_token_details: { text_tokens: 4, audio_tokens: 20 },
    });

    const session = only(server.realtimeSessions);
    expect(session.model).toBe(MODEL);
    expect(session.sent).toEqual(c.events);
    expect(session.transcriptions).toEqual([transcription.usage]);
    expect(session.responses).toHaveLength(1);
    expect(session.responses[0]).toMatchObject({
      id: done.response.id,
      status: 'completed',
      usage: done.response.usage,
      audioDeltas: 4,
      textDeltas: 0,
    });
    // first-audio-ms defaults to 30: the first delta is scripted, not left to chance.
    expect(session.responses[0]!.firstDeltaMs).toBeGreaterThanOrEqual(29);
    expect(session.responses[0]!.firstDeltaMs).toBeLessThan(1_000);
    expect(session.received.map((event) => event['type'])).toEqual([
      'session.update',
      'input_audio_buffer.append',
      'input_audio_buffer.append',
    ]);
  });

  test('openai 5 (its GA realtime/ws): the same turn, the same events and usage', async () => {
    const server = await startServer({ tls: true });
    const c = await connect(server, MODEL, {}, 5);
    c.send({ type: 'input_audio_buffer.append', audio: pcm(480) });
    const done = await c.waitFor('response.done');
    expect(c.types()).toEqual([
      'session.created',
      'input_audio_buffer.speech_started',
      'input_audio_buffer.speech_stopped',
      'input_audio_buffer.committed',
      'conversation.item.added',
      'conversation.item.done',
      ...AUDIO_TURN_TAIL,
    ]);
    expect(done.response.usage).toEqual(
      usage({ text: 0, audio: 5 }, { text: 0, audio: 0 }, { text: 4, audio: 20 }),
    );
    const session = only(server.realtimeSessions);
    expect(session.sent).toEqual(c.events);
    expect(session.headers['openai-beta']).toBeUndefined();
  });

  test('barge-in: the user speaks during the reply, the response is cancelled (turn_detected), the next completes', async () => {
    const server = await startServer({ tls: true });
    const c = await connect(server, `${MODEL}@barge-in`);
    c.send({ type: 'input_audio_buffer.append', audio: pcm(100) });
    const second = await c.waitFor('response.done', 2);
    const first = await c.waitFor('response.done', 1);

    const types = c.types();
    const bargeIn = types.indexOf('input_audio_buffer.speech_started', types.indexOf('response.created'));
    expect(types.slice(bargeIn - 4, bargeIn + 1)).toEqual([
      'response.output_audio.delta',
      'response.output_audio_transcript.delta',
      'response.output_audio.delta',
      'response.output_audio_transcript.delta',
      'input_audio_buffer.speech_started',
    ]);
    expect(types.indexOf('response.done')).toBeGreaterThan(bargeIn);
    expect(first.response.status).toBe('cancelled');
    expect(first.response.status_details).toEqual({ type: 'cancelled', reason: 'turn_detected' });
    expect(first.response.usage).toEqual(
      usage({ text: 0, audio: 1 }, { text: 0, audio: 0 }, { text: 2, audio: 10 }),
    );
    // The second reads the first user turn (1), the cut-short reply (10) and the 800 ms barge-in (8).
    expect(second.response.status).toBe('completed');
    expect(second.response.usage).toEqual(
      usage({ text: 0, audio: 19 }, { text: 0, audio: 1 }, { text: 4, audio: 20 }),
    );

    const session = only(server.realtimeSessions);
    expect(session.sent).toEqual(c.events);
    expect(session.responses.map((response) => [response.status, response.audioDeltas])).toEqual([
      ['cancelled', 2],
      ['completed', 4],
    ]);
    const total = session.responses.reduce((sum, response) => sum + response.usage!.total_tokens, 0);
    expect(total).toBe(13 + 43);
  });

  test('a tool call: function_call_arguments.done, the client answers with function_call_output and response.create', async () => {
    const server = await startServer({ tls: true });
    const c = await connect(server, `${MODEL}@tool-call`);
    c.send({
      type: 'session.update',
      session: {
        type: 'realtime',
        tools: [
          {
            type: 'function',
            name: 'lookup_weather',
            parameters: { type: 'object', properties: { city: { type: 'string' } } },
          },
        ],
        audio: { input: { turn_detection: null } },
      },
    });
    await c.waitFor('session.updated');
    c.send({ type: 'input_audio_buffer.append', audio: pcm(200) });
    c.send({ type: 'input_audio_buffer.commit' });
    c.send({ type: 'response.create' });
    const call = await c.waitFor('response.function_call_arguments.done');
    expect(call).toMatchObject({ name: 'lookup_weather', arguments: '{"city":"test"}' });
    const first = await c.waitFor('response.done');
    expect(first.response.output).toEqual([
      expect.objectContaining({ type: 'function_call', call_id: call.call_id, status: 'completed' }),
    ]);
    // Push-to-talk: no VAD events; 200 ms is 2 audio tokens; 15 characters of arguments are 2 fragments.
    expect(c.types()).not.toContain('input_audio_buffer.speech_started');
    expect(first.response.usage).toEqual(
      usage({ text: 0, audio: 2 }, { text: 0, audio: 0 }, { text: 2, audio: 0 }),
    );
    expect(c.types().filter((type) => type === 'response.function_call_arguments.delta')).toHaveLength(2);

    answerFunctionCall(c.send, call.call_id, 'sunny and warm');
    const second = await c.waitFor('response.done', 2);
    expect(second.response.status).toBe('completed');
    // The call (2) and its output (3 + 3 words) are text; the user's audio (2) was read before.
    expect(second.response.usage).toEqual(
      usage({ text: 8, audio: 2 }, { text: 0, audio: 2 }, { text: 4, audio: 20 }),
    );
    expect(only(server.realtimeSessions).sent).toEqual(c.events);
  });

  test('a failed response: response.done with status failed and its status_details', async () => {
    const server = await startServer({ tls: true });
    const c = await connect(server, `${MODEL}@response-failed`);
    c.send({ type: 'input_audio_buffer.append', audio: pcm(100) });
    const done = await c.waitFor('response.done');
    expect(done.response.status).toBe('failed');
    expect(done.response.status_details).toEqual({
      type: 'failed',
      error: { type: 'server_error', code: 'server_error' },
    });
    expect(done.response.usage).toEqual(
      usage({ text: 0, audio: 1 }, { text: 0, audio: 0 }, { text: 0, audio: 0 }),
    );
    expect(c.types()).not.toContain('response.output_audio.delta');
    expect(only(server.realtimeSessions).responses[0]).toMatchObject({
      status: 'failed',
      usage: done.response.usage,
    });
  });

  test('an error event instead of the first response; the client reports it as an OpenAIRealtimeError', async () => {
    const server = await startServer({ tls: true });
    const c = await connect(server, MODEL, { 'x-test-scenario': 'error-event' });
    c.send({ type: 'input_audio_buffer.append', audio: pcm(100) });
    const error = await c.waitFor('error');
    expect(error.error).toEqual({
      type: 'server_error',
      code: 'server_error',
      message: 'The server had an error while processing your request.',
      param: null,
      event_id: null,
    });
    expect(c.errors).toHaveLength(1);
    expect(c.errors[0]!.message).toContain('code=server_error');
    expect(c.types()).not.toContain('response.created');
    expect(only(server.realtimeSessions).scenario).toBe('error-event');
  });

  test('a socket cut mid-turn: the client sees 1006; the record says cut and holds every event the client got', async () => {
    const server = await startServer({ tls: true });
    const c = await connect(server, `${MODEL}@cut-after-audio:1`);
    c.send({ type: 'input_audio_buffer.append', audio: pcm(100) });
    expect(await c.closed).toBe(1006);
    const session = only(server.realtimeSessions);
    expect(session.cut).toBe(true);
    expect(session.closed).toBe(true);
    expect(session.responses).toEqual([expect.objectContaining({ status: 'cut', audioDeltas: 1 })]);
    expect(session.responses[0]!.usage).toBeUndefined();
    expect(session.sent).toEqual(c.events);
    expect(c.types().at(-1)).toBe('response.output_audio_transcript.delta');
  });

  test('text output, response.cancel (client_cancelled), conversation.item.truncate and client mistakes', async () => {
    const server = await startServer({ tls: true });
    const c = await connect(server, `${MODEL}@audio-delta-ms:300`);
    c.send({
      type: 'session.update',
      session: { type: 'realtime', output_modalities: ['text'], audio: { input: { turn_detection: null } } },
    });
    c.send({
      type: 'conversation.item.create',
      item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'What is the weather' }] },
    });
    c.send({ type: 'response.create' });
    await c.waitFor('response.output_text.delta');
    c.send({ type: 'response.create' });
    c.send({ type: 'response.cancel' });
    const done = await c.waitFor('response.done');
    expect(done.response.status).toBe('cancelled');
    expect(done.response.status_details).toEqual({ type: 'cancelled', reason: 'client_cancelled' });
    // 3 + 4 words of input text; one word of output before the cancel.
    expect(done.response.usage).toEqual(
      usage({ text: 7, audio: 0 }, { text: 0, audio: 0 }, { text: 1, audio: 0 }),
    );
    expect((await c.waitFor('response.output_text.done')).text).toBe('Hello!');
    expect((await c.waitFor('error')).error.code).toBe('conversation_already_has_active_response');

    c.send({ type: 'response.cancel' });
    expect((await c.waitFor('error', 2)).error.code).toBe('response_cancel_not_active');
    c.send({ type: 'input_audio_buffer.commit' });
    expect((await c.waitFor('error', 3)).error.code).toBe('input_audio_buffer_commit_empty');
    c.send({
      type: 'conversation.item.truncate',
      item_id: done.response.output![0]!.id!,
      content_index: 0,
      audio_end_ms: 120,
    });
    expect(await c.waitFor('conversation.item.truncated')).toMatchObject({
      item_id: done.response.output![0]!.id,
      content_index: 0,
      audio_end_ms: 120,
    });
    expect(only(server.realtimeSessions).responses[0]).toMatchObject({ status: 'cancelled', textDeltas: 1 });
  });

  test('conversation.item.retrieve, .delete and .truncate, as @openai/agents-realtime sends them; unknown ids are errors', async () => {
    const server = await startServer({ tls: true });
    // Deltas 100 ms apart: the reply is still running when the truncate and retrieve below arrive.
    const c = await connect(server, `${MODEL}@audio-delta-ms:100`);
    c.send({
      type: 'session.update',
      session: {
        type: 'realtime',
        audio: { input: { turn_detection: null, transcription: { model: 'gpt-4o-transcribe' } } },
      },
    });
    c.send({ type: 'input_audio_buffer.append', audio: pcm(200) });
    c.send({ type: 'input_audio_buffer.commit' });
    const transcribed = await c.waitFor('conversation.item.input_audio_transcription.completed');
    // agents-realtime retrieves the item once transcribed, to read its transcript.
    c.send({ type: 'conversation.item.retrieve', item_id: transcribed.item_id });
    const retrieved = await c.waitFor('conversation.item.retrieved');
    expect(retrieved.item).toEqual({
      id: transcribed.item_id,
      object: 'realtime.item',
      type: 'message',
      role: 'user',
      status: 'completed',
      content: [{ type: 'input_audio', transcript: TRANSCRIPT_WORDS.join(' ') }],
    });
    c.send({ type: 'conversation.item.retrieve', item_id: 'item_missing', event_id: 'evt_retrieve' });
    expect((await c.waitFor('error')).error).toEqual({
      type: 'invalid_request_error',
      code: 'item_retrieve_invalid_item_id',
      message: "Error retrieving item: the item with id 'item_missing' does not exist.",
      param: null,
      event_id: 'evt_retrieve',
    });

    c.send({
      type: 'conversation.item.create',
      item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Never mind that' }] },
    });
    const added = await c.waitFor('conversation.item.added', 2);
    c.send({ type: 'conversation.item.delete', item_id: added.item.id! });
    expect(await c.waitFor('conversation.item.deleted')).toMatchObject({ item_id: added.item.id });
    c.send({ type: 'conversation.item.delete', item_id: added.item.id! });
    expect((await c.waitFor('error', 2)).error).toMatchObject({
      code: 'item_delete_invalid_item_id',
      message: `Error deleting item: the item with id '${added.item.id}' does not exist.`,
    });
    c.send({
      type: 'conversation.item.truncate',
      item_id: 'item_missing',
      content_index: 0,
      audio_end_ms: 10,
    });
    expect((await c.waitFor('error', 3)).error).toMatchObject({
      code: 'item_truncate_invalid_item_id',
      message: "Error truncating item: the item with id 'item_missing' does not exist.",
    });

    c.send({ type: 'response.create' });
    // Mid-reply, the reply's item is in the conversation: agents-realtime truncates it on a barge-in.
    const delta = await c.waitFor('response.output_audio.delta');
    c.send({ type: 'conversation.item.truncate', item_id: delta.item_id, content_index: 0, audio_end_ms: 5 });
    c.send({ type: 'conversation.item.retrieve', item_id: delta.item_id });
    expect(await c.waitFor('conversation.item.truncated')).toMatchObject({ item_id: delta.item_id });
    expect((await c.waitFor('conversation.item.retrieved', 2)).item).toMatchObject({
      id: delta.item_id,
      role: 'assistant',
      status: 'in_progress',
    });
    const done = await c.waitFor('response.done');
    // The deleted text item is no longer read: only the 200 ms of audio (2 tokens).
    expect(done.response.usage).toEqual(
      usage({ text: 0, audio: 2 }, { text: 0, audio: 0 }, { text: 4, audio: 20 }),
    );
    const reply = done.response.output![0]!;
    c.send({ type: 'conversation.item.truncate', item_id: reply.id!, content_index: 0, audio_end_ms: 20 });
    await c.waitFor('conversation.item.truncated', 2);
    c.send({ type: 'conversation.item.retrieve', item_id: reply.id! });
    expect((await c.waitFor('conversation.item.retrieved', 3)).item).toMatchObject({
      id: reply.id,
      type: 'message',
      role: 'assistant',
    });
    expect(c.types().filter((type) => type === 'error')).toHaveLength(3);
    const session = only(server.realtimeSessions);
    expect(session.protocol).toBe('ga');
    expect(session.sent).toEqual(c.events);
  });

  test('an unknown directive refuses the handshake with 400; close() ends an open session mid-response', async () => {
    const server = await startServer({ tls: true });
    await expect(connect(server, `${MODEL}@no-such-thing`)).rejects.toThrow(
      'Unexpected server response: 400',
    );
    expect(server.realtimeSessions).toEqual([]);

    const c = await connect(server, `${MODEL}@first-audio-ms:60000`);
    c.send({ type: 'input_audio_buffer.append', audio: pcm(100) });
    await c.waitFor('response.created');
    await server.close();
    expect(await c.closed).toBe(1006);
    expect(server.realtimeSessions[0]!.closed).toBe(true);
  });

  test('plain ws:// without tls; reset() forgets the sessions', async () => {
    const server = await startServer();
    expect(server.certificate).toBeUndefined();
    const { WebSocket } = await import('ws');
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/v1/realtime?model=${MODEL}`);
    const first = await new Promise<string>((resolve) =>
      socket.once('message', (data) => resolve(String(data))),
    );
    expect(JSON.parse(first)).toMatchObject({
      type: 'session.created',
      session: { model: MODEL, type: 'realtime' },
    });
    socket.terminate();
    await until(() => server.realtimeSessions[0]?.closed === true, 'the session to close');
    server.reset();
    expect(server.realtimeSessions).toEqual([]);
  });

  test('NODE_EXTRA_CA_CERTS: a separate process trusts the certificate with no socket option', async () => {
    const server = await startServer({ tls: true });
    const dir = await mkdtemp(join(tmpdir(), 'va-realtime-'));
    try {
      const caFile = join(dir, 'ca.pem');
      await writeFile(caFile, server.certificate!);
      const script = `
        const { OpenAI } = require('openai');
        const { OpenAIRealtimeWS } = require('openai/realtime/ws');
        const rt = new OpenAIRealtimeWS({ model: 'gpt-realtime' }, new OpenAI({ apiKey: 'test', baseURL: process.argv[1] }));
        rt.on('error', (error) => { console.error(error.message); process.exit(1); });
        rt.socket.on('open', () => rt.send({ type: 'input_audio_buffer.append', audio: Buffer.alloc(4800).toString('base64') }));
        rt.on('response.done', (event) => { console.log(JSON.stringify(event.response.usage)); rt.close(); });`;
      const { stdout } = await promisify(execFile)(process.execPath, ['-e', script, server.baseURL], {
        cwd: join(__dirname, '..'),
        env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile },
        timeout: 15_000,
      });
      expect(JSON.parse(stdout)).toEqual(only(server.realtimeSessions).responses[0]!.usage);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
