import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type StartedServer, startOpenAICompatibleServer } from '@va/openai-compatible-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { httpGet, type RegisteredApp, startRegisteredApp } from './support/child-app.js';
import { parseExposition, type Sample, samplesOf, withoutScope } from './support/exposition.js';
import { expectTokensAsReported, total } from './support/realtime-usage.js';

const MODEL = 'gpt-realtime-1.5';

async function scrape(metricsPort: number): Promise<Sample[]> {
  const { status, body } = await httpGet(`http://127.0.0.1:${metricsPort}/metrics`);
  expect(status).toBe(200);
  return parseExposition(body);
}

function values(samples: Sample[], name: string): Array<{ labels: Record<string, string>; value: number }> {
  return samplesOf(samples, name).map((sample) => ({
    labels: withoutScope(sample.labels),
    value: sample.value,
  }));
}

describe('the register measures Realtime sessions of the openai client, with no code in the app', () => {
  let server: StartedServer;
  let started: RegisteredApp | undefined;
  let certificateDirectory: string;
  let certificateFile: string;

  beforeAll(async () => {
    server = await startOpenAICompatibleServer({ tls: true });
    certificateDirectory = mkdtempSync(join(tmpdir(), 'va-realtime-ca-'));
    certificateFile = join(certificateDirectory, 'ca.pem');
    writeFileSync(certificateFile, server.certificate!);
  });
  afterEach(async () => {
    await started?.app.stop('SIGKILL');
    started = undefined;
    server.reset();
  });
  afterAll(async () => {
    await server.close();
    rmSync(certificateDirectory, { recursive: true, force: true });
  });

  for (const [fixture, loader] of [
    ['realtime-app.cjs', '--require'],
    ['realtime-app.mjs', '--import'],
  ] as const) {
    it(`${loader}: turns by end reason, latency, interruptions, tool calls, tokens by modality as reported`, async () => {
      started = await startRegisteredApp(
        fixture,
        { OPENAI_BASE_URL: server.baseURL, NODE_EXTRA_CA_CERTS: certificateFile },
        loader,
      );
      const samples = await scrape(started.metricsPort);
      expect(
        server.realtimeSessions.map((session) => session.responses.map((response) => response.status)),
      ).toEqual([['completed'], ['cancelled', 'completed'], ['completed', 'completed']]);

      const turns = Object.fromEntries(
        values(samples, 'voice_agent_voice_turns_total').map((sample) => [
          sample.labels.voice_turn_end_reason,
          sample.value,
        ]),
      );
      expect(turns).toEqual({ completed: 4, interrupted: 1 });
      expect(total(samples, 'voice_agent_voice_turn_interruptions_total')).toBe(1);
      // Every reply but the function call's reached audio.
      expect(total(samples, 'voice_agent_voice_turn_response_latency_seconds_count')).toBe(4);
      // The function call's response was created too; the reply after the tool ran counts from the user's speech.
      expect(
        total(samples, 'voice_agent_voice_stage_duration_seconds_count', { voice_stage: 'response_created' }),
      ).toBe(5);
      expect(
        total(samples, 'voice_agent_voice_stage_duration_seconds_count', { voice_stage: 'first_audio' }),
      ).toBe(4);
      expect(total(samples, 'voice_agent_voice_session_active')).toBe(0);
      expect(total(samples, 'voice_agent_voice_session_turns_count')).toBe(3);
      expect(total(samples, 'voice_agent_voice_session_turns_sum')).toBe(5);

      expect(
        values(samples, 'voice_agent_gen_ai_client_operation_duration_seconds_count').map(
          (sample) => sample.labels.gen_ai_operation_name,
        ),
      ).toEqual(['realtime_inference', 'realtime_inference', 'realtime_inference']);
      expect(total(samples, 'voice_agent_gen_ai_client_operation_duration_seconds_count')).toBe(5);
      expect(
        values(samples, 'voice_agent_gen_ai_execute_tool_duration_seconds_count').map((sample) => [
          sample.labels,
          sample.value,
        ]),
      ).toEqual([[{ gen_ai_tool_name: 'get_weather', gen_ai_tool_type: 'function' }, 1]]);

      expectTokensAsReported(samples, server.realtimeSessions);
      expect(
        total(samples, 'voice_agent_gen_ai_client_cost_usd_total', { gen_ai_response_model: MODEL }),
      ).toBeGreaterThan(0);
      expect(
        values(samples, 'voice_agent_gen_ai_client_rate_limit_remaining')
          .map((sample) => sample.labels.gen_ai_rate_limit_name)
          .sort(),
      ).toEqual(expect.arrayContaining(['requests', 'tokens']));
    });
  }

  it('OTEL_NODE_DISABLED_INSTRUMENTATIONS=openai: no Realtime session is measured', async () => {
    started = await startRegisteredApp('realtime-app.cjs', {
      OPENAI_BASE_URL: server.baseURL,
      NODE_EXTRA_CA_CERTS: certificateFile,
      OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'openai',
    });
    const samples = await scrape(started.metricsPort);
    expect(server.realtimeSessions).toHaveLength(3);
    expect(values(samples, 'voice_agent_voice_turns_total')).toEqual([]);
    expect(values(samples, 'voice_agent_gen_ai_client_operation_duration_seconds_count')).toEqual([]);
  });
});
