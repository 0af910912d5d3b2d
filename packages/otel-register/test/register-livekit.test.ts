// A LiveKit agent (`@livekit/agents` with its OpenAI plugin), installed as a user installs it and started
// under the register with no instrumentation code: every `voice.AgentSession` is measured as it starts,
// CommonJS and ES modules alike; the plugin's calls through the `openai` client, which the register
// patches too, are counted once; LiveKit's own metrics, whose series carry room and job ids, stay off
// /metrics. Installed at test time outside the monorepo, pinned as @va/instrumentation-livekit's tests pin it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type StartedServer, startOpenAICompatibleServer } from '@va/openai-compatible-server';
import { installApp } from '@va/test-metrics/installed-app';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { httpGet, type RegisteredApp, startRegisteredApp } from './support/child-app.js';
import { parseExposition, type Sample, samplesOf, withoutScope } from './support/exposition.js';
import { total } from './support/realtime-usage.js';

const APP_FILES = fileURLToPath(new URL('./fixtures/livekit', import.meta.url));
const DEPENDENCIES = { '@livekit/agents': '1.9.0', '@livekit/agents-plugin-openai': '1.9.0' };

/** Every sample of LiveKit's own meter or with a room or job id: none may reach /metrics. */
function liveKitsOwn(samples: readonly Sample[]): Sample[] {
  return samples.filter(
    (sample) =>
      /(^|_)lk_/.test(sample.name) ||
      Object.entries(sample.labels).some(
        ([key, value]) => /room|job|^lk_/.test(key) || value === 'livekit-agents',
      ),
  );
}

describe('the register measures LiveKit AgentSessions, with no code in the app', () => {
  let server: StartedServer;
  let directory: string;
  let started: RegisteredApp | undefined;

  beforeAll(async () => {
    directory = installApp('register-livekit', DEPENDENCIES, { files: APP_FILES }).directory;
    server = await startOpenAICompatibleServer();
  }, 300_000);
  afterEach(async () => {
    await started?.app.stop('SIGKILL');
    started = undefined;
    server.reset();
  });
  afterAll(async () => {
    await server?.close();
  });

  async function scrape(fixture: string, loader: '--require' | '--import', environment = {}) {
    started = await startRegisteredApp(
      join(directory, fixture),
      { OPENAI_BASE_URL: server.baseURL, OPENAI_API_KEY: 'test-key', ...environment },
      loader,
    );
    const { status, body } = await httpGet(`http://127.0.0.1:${started.metricsPort}/metrics`);
    expect(status).toBe(200);
    expect(server.responses.filter((response) => response.path === '/v1/chat/completions')).toHaveLength(2);
    return parseExposition(body);
  }

  // whisper-1 at its built-in $0.006 a minute, or at a user's price from VA_GENAI_PRICES_FILE.
  for (const [fixture, loader, whisperPerMinute] of [
    ['livekit-app.cjs', '--require', 0.006],
    ['livekit-app.mjs', '--import', 0.01],
  ] as const) {
    it(`${fixture}, ${loader}: turns by end reason, the spoken reply's latency and stages, each LLM call's tokens and spend once, STT and TTS usage and spend, none of LiveKit's own series`, async () => {
      const environment: Record<string, string> = {};
      if (whisperPerMinute !== 0.006) {
        const pricesFile = join(mkdtempSync(join(tmpdir(), 'va-livekit-prices-')), 'prices.json');
        writeFileSync(pricesFile, JSON.stringify({ 'whisper-1': { perMinuteOfAudio: whisperPerMinute } }));
        environment.VA_GENAI_PRICES_FILE = pricesFile;
      }
      const samples = await scrape(fixture, loader, environment);
      const turns = samplesOf(samples, 'voice_agent_voice_turns_total').map((sample) => [
        withoutScope(sample.labels),
        sample.value,
      ]);
      expect(turns).toEqual([
        [{ voice_turn_end_reason: 'completed' }, 2],
        [{ voice_turn_end_reason: 'interrupted' }, 1],
      ]);
      expect(total(samples, 'voice_agent_voice_turn_interruptions_total')).toBe(1);
      expect(total(samples, 'voice_agent_voice_session_active')).toBe(0);
      expect(total(samples, 'voice_agent_voice_session_turns_sum')).toBe(3);
      // Typed replies have no end of utterance: only the spoken one has a latency, 300 + 250 + 150 ms.
      expect(total(samples, 'voice_agent_voice_turn_response_latency_seconds_count')).toBe(1);
      expect(total(samples, 'voice_agent_voice_turn_response_latency_seconds_sum')).toBeCloseTo(0.7, 9);
      const stages = samplesOf(samples, 'voice_agent_voice_stage_duration_seconds_sum').map((sample) => [
        sample.labels.voice_stage,
        sample.value,
      ]);
      expect(stages).toEqual([
        ['end_of_utterance', 0.3],
        ['llm_first_token', 0.25],
        ['tts_first_byte', 0.15],
        ['audio_out', 0],
      ]);
      expect(total(samples, 'voice_agent_voice_tts_characters_total')).toBe(42);
      expect(total(samples, 'voice_agent_voice_tts_audio_duration_seconds_total')).toBe(2);
      expect(total(samples, 'voice_agent_voice_stt_audio_duration_seconds_total')).toBe(3);

      // The two typed replies' calls, measured by the openai instrumentation alone (the spoken reply's
      // reported call went through no client here, and is not recorded a second time either).
      const calls = samplesOf(samples, 'voice_agent_gen_ai_client_operation_duration_seconds_count');
      expect(calls.map((sample) => [sample.labels.otel_scope_name, sample.value])).toEqual([
        ['@va/instrumentation-openai', 2],
      ]);
      const tokens = samplesOf(samples, 'voice_agent_gen_ai_client_token_usage_sum').map((sample) => [
        sample.labels.otel_scope_name,
        sample.labels.gen_ai_token_type,
        sample.value,
      ]);
      expect(tokens).toEqual([
        ['@va/instrumentation-openai', 'input', 39],
        ['@va/instrumentation-openai', 'output', 24],
      ]);
      // Spend: the typed replies' calls by the openai instrumentation at gpt-4o-mini's prices; the spoken
      // reply's transcription (3 s) and speech (42 characters of tts-1 at $15 per million) by this one.
      const spend = samplesOf(samples, 'voice_agent_gen_ai_client_cost_usd_total').map((sample) => [
        sample.labels.otel_scope_name,
        sample.labels.gen_ai_operation_name,
        sample.labels.gen_ai_request_model,
        sample.labels.gen_ai_token_type,
        sample.value,
      ]);
      expect(spend).toEqual([
        ['@va/instrumentation-openai', 'chat', 'gpt-4o-mini', 'input', expect.closeTo((39 * 0.15) / 1e6, 15)],
        ['@va/instrumentation-openai', 'chat', 'gpt-4o-mini', 'output', expect.closeTo((24 * 0.6) / 1e6, 15)],
        [
          '@va/instrumentation-livekit',
          'transcription',
          'whisper-1',
          undefined,
          expect.closeTo((3 / 60) * whisperPerMinute, 15),
        ],
        ['@va/instrumentation-livekit', 'speech', 'tts-1', undefined, expect.closeTo((42 * 15) / 1e6, 15)],
      ]);
      // The session's tokens: the typed replies' 63 and the spoken reply's 120.
      expect(total(samples, 'voice_agent_voice_session_tokens_sum')).toBe(183);

      expect(liveKitsOwn(samples)).toEqual([]);
    });
  }

  it("a job process forked by the worker (the register inherited): the worker serves its session after it ended, flushed among the job's shutdown callbacks", async () => {
    started = await startRegisteredApp(join(directory, 'livekit-job-worker.cjs'), {
      OPENAI_BASE_URL: server.baseURL,
      OPENAI_API_KEY: 'test-key',
    });
    expect(JSON.parse((await httpGet(started.appUrl)).body)).toEqual({ jobExit: 0 });
    const { body } = await httpGet(`http://127.0.0.1:${started.metricsPort}/metrics`);
    const samples = parseExposition(body);
    // Recorded in the job process, which no scrape reached alive: the session's end arrived by the flush.
    expect(total(samples, 'voice_agent_voice_turns_total', { voice_turn_end_reason: 'completed' })).toBe(2);
    expect(total(samples, 'voice_agent_voice_session_turns_count')).toBe(1);
    expect(total(samples, 'voice_agent_voice_session_turns_sum')).toBe(2);
    expect(total(samples, 'voice_agent_gen_ai_client_token_usage_sum', { gen_ai_token_type: 'input' })).toBe(
      39,
    );
    expect(total(samples, 'voice_agent_gen_ai_client_token_usage_sum', { gen_ai_token_type: 'output' })).toBe(
      24,
    );
    expect(liveKitsOwn(samples)).toEqual([]);
    // The job process asked for no port of its own.
    expect(started.app.stderr()).not.toMatch(/EADDRINUSE|could not start the Prometheus/);
  });

  it('without the livekit instrumentation nothing flushes a job process: its calls never reach the worker', async () => {
    started = await startRegisteredApp(join(directory, 'livekit-job-worker.cjs'), {
      OPENAI_BASE_URL: server.baseURL,
      OPENAI_API_KEY: 'test-key',
      OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'livekit',
    });
    expect(JSON.parse((await httpGet(started.appUrl)).body)).toEqual({ jobExit: 0 });
    const samples = parseExposition((await httpGet(`http://127.0.0.1:${started.metricsPort}/metrics`)).body);
    expect(server.responses.filter((response) => response.path === '/v1/chat/completions')).toHaveLength(2);
    expect(samplesOf(samples, 'voice_agent_gen_ai_client_token_usage_sum')).toEqual([]);
  });

  it('OTEL_NODE_DISABLED_INSTRUMENTATIONS=livekit: no session is measured, the openai client still is, and LiveKit’s own series stay off', async () => {
    const samples = await scrape('livekit-app.cjs', '--require', {
      OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'livekit',
    });
    expect(samplesOf(samples, 'voice_agent_voice_turns_total')).toEqual([]);
    expect(samplesOf(samples, 'voice_agent_voice_session_turns_count')).toEqual([]);
    expect(total(samples, 'voice_agent_gen_ai_client_operation_duration_seconds_count')).toBe(2);
    expect(liveKitsOwn(samples)).toEqual([]);
  });
});
