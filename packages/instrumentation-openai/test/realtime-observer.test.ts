import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveSettings, type Settings } from '../src/options.js';
import { observeRealtimeSession, type RealtimeSessionObserver } from '../src/realtime/session-observer.js';
import { TestMetrics } from './support/metrics.js';

const MODEL = 'gpt-realtime-1.5';
const SOURCE = {
  requestModel: MODEL,
  serverAddress: 'api.openai.com',
  serverPort: 443,
  providerName: 'openai',
};

let metrics: TestMetrics;
let settings: Settings;
let observer: RealtimeSessionObserver;

beforeEach(() => {
  metrics = new TestMetrics();
  settings = resolveSettings({ meterProvider: metrics.meterProvider }, {});
  observer = observeRealtimeSession(settings, SOURCE);
  observer.serverEvent({ type: 'session.created', session: { model: MODEL } });
});
afterEach(async () => {
  await metrics.shutdown();
});

function turns(): Promise<Record<string, number>> {
  return metrics
    .points('voice.turns')
    .then((points) =>
      Object.fromEntries(
        points.map((point) => [String(point.attributes['voice.turn.end_reason']), point.value]),
      ),
    );
}

/** A response from created to done, with one audio delta and one reply item. */
function respond(id: string, status = 'completed', itemId = `item_${id}`): void {
  observer.serverEvent({ type: 'response.created', response: { id, status: 'in_progress' } });
  observer.serverEvent({
    type: 'response.output_item.added',
    response_id: id,
    item: { id: itemId, type: 'message', role: 'assistant' },
  });
  observer.serverEvent({
    type: 'response.output_audio.delta',
    response_id: id,
    item_id: itemId,
    delta: 'AAAA',
  });
  observer.serverEvent({
    type: 'response.done',
    response: {
      id,
      status,
      usage: {
        input_tokens: 10,
        output_tokens: 5,
        input_token_details: { text_tokens: 4, audio_tokens: 6, cached_tokens: 0 },
        output_token_details: { text_tokens: 1, audio_tokens: 4 },
      },
    },
  });
}

describe('the Realtime session observer', () => {
  it('push-to-talk: the client commit starts the latency, the server ack does not move it', async () => {
    observer.clientEvent({ type: 'input_audio_buffer.commit' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    observer.serverEvent({ type: 'input_audio_buffer.committed', item_id: 'user_1' });
    respond('resp_1');
    expect(await turns()).toEqual({ completed: 1 });
    expect((await metrics.point('voice.turn.response_latency'))?.sum).toBeGreaterThanOrEqual(0.018);
  });

  it('a truncation after response.done counts an interruption and keeps the turn completed', async () => {
    observer.serverEvent({ type: 'input_audio_buffer.speech_stopped' });
    respond('resp_1', 'completed', 'item_reply');
    observer.serverEvent({ type: 'input_audio_buffer.speech_started' });
    observer.clientEvent({ type: 'conversation.item.truncate', item_id: 'item_reply', audio_end_ms: 300 });
    observer.serverEvent({ type: 'conversation.item.truncated', item_id: 'item_reply' });
    expect(await turns()).toEqual({ completed: 1 });
    expect(await metrics.value('voice.turn.interruptions')).toBe(1);
  });

  it('a response.cancel of the app ends the running response as interrupted', async () => {
    observer.serverEvent({ type: 'response.created', response: { id: 'resp_1' } });
    observer.clientEvent({ type: 'response.cancel' });
    observer.serverEvent({ type: 'response.done', response: { id: 'resp_1', status: 'cancelled' } });
    expect(await turns()).toEqual({ interrupted: 1 });
    expect(await metrics.value('voice.turn.interruptions')).toBe(1);
  });

  it('a refused client event does not end the turn waiting for its response; a server error does', async () => {
    observer.serverEvent({ type: 'input_audio_buffer.speech_stopped' });
    observer.serverEvent({
      type: 'error',
      error: { type: 'invalid_request_error', code: 'response_cancel_not_active' },
    });
    expect(await turns()).toEqual({});
    observer.serverEvent({ type: 'error', error: { type: 'server_error', code: 'server_error' } });
    expect(await turns()).toEqual({ error: 1 });
    const errors = (await metrics.points('gen_ai.client.realtime.errors')).map((point) => [
      point.attributes['error.type'],
      point.value,
    ]);
    expect(errors.sort()).toEqual([
      ['response_cancel_not_active', 1],
      ['server_error', 1],
    ]);
  });

  it('bounds error codes and limit names', async () => {
    for (let code = 0; code < 80; code++)
      observer.serverEvent({ type: 'error', error: { code: `bounded_code_${code}` } });
    observer.serverEvent({ type: 'error', error: { code: 'x'.repeat(100) } });
    const points = await metrics.points('gen_ai.client.realtime.errors');
    // 50 distinct values per process; earlier tests in this file used two of them.
    expect(points.length).toBeLessThanOrEqual(51);
    expect(points.find((point) => point.attributes['error.type'] === '_OTHER')?.value).toBeGreaterThanOrEqual(
      31,
    );
    observer.serverEvent({
      type: 'rate_limits.updated',
      rate_limits: Array.from({ length: 20 }, (_, index) => ({
        name: `limit_${index}`,
        limit: 10,
        remaining: 3,
      })),
    });
    const limits = await metrics.points('gen_ai.client.rate_limit.remaining');
    expect(limits).toHaveLength(11);
    expect(limits.filter((point) => point.attributes['gen_ai.rate_limit.name'] === '_OTHER')).toHaveLength(1);
  });

  it('a response.done without its response.created still counts its usage, and no turn or duration', async () => {
    observer.serverEvent({
      type: 'response.done',
      response: { id: 'resp_unknown', status: 'completed', usage: { input_tokens: 7, output_tokens: 3 } },
    });
    expect(await turns()).toEqual({});
    expect(await metrics.points('gen_ai.client.operation.duration')).toEqual([]);
    const tokens = (await metrics.points('gen_ai.client.token.usage')).map((point) => [
      point.attributes['gen_ai.token.type'],
      point.sum,
    ]);
    expect(tokens).toEqual([
      ['input', 7],
      ['output', 3],
    ]);
  });

  it('ignores what is not an event, and never throws', () => {
    for (const garbage of [
      null,
      undefined,
      42,
      'response.done',
      [],
      { type: 7 },
      { type: 'response.done', response: 5 },
    ]) {
      expect(() => observer.serverEvent(garbage)).not.toThrow();
      expect(() => observer.clientEvent(garbage)).not.toThrow();
    }
    expect(() => observer.serverEvent({ type: 'rate_limits.updated', rate_limits: 'none' })).not.toThrow();
  });

  it('after closed(), records nothing more; the session is counted out once', async () => {
    observer.serverEvent({ type: 'input_audio_buffer.speech_stopped' });
    observer.closed();
    observer.closed();
    respond('resp_late');
    expect(await turns()).toEqual({ abandoned: 1 });
    expect(await metrics.value('voice.session.active')).toBe(0);
    expect(await metrics.point('voice.session.turns')).toMatchObject({ count: 1, sum: 1 });
    expect(await metrics.points('gen_ai.client.operation.duration')).toEqual([]);
  });
});
