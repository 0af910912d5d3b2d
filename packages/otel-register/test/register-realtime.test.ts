import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBundledServer } from './support/bundled-server.js';
import { expectTokensAsReported, total } from './support/realtime-usage.js';
import { exposedSeries as values } from './support/scrape.js';

const MODEL = 'gpt-realtime-1.5';

describe('the register measures Realtime sessions of the openai client, with no code in the app', () => {
  const llm = useBundledServer({ tls: true });
  let certificateDirectory: string;
  let certificateFile: string;

  beforeAll(() => {
    certificateDirectory = mkdtempSync(join(tmpdir(), 'va-realtime-ca-'));
    certificateFile = join(certificateDirectory, 'ca.pem');
    writeFileSync(certificateFile, llm.server.certificate!);
  });
  afterAll(() => {
    rmSync(certificateDirectory, { recursive: true, force: true });
  });

  for (const [fixture, loader] of [
    ['realtime-app.cjs', '--require'],
    ['realtime-app.mjs', '--import'],
  ] as const) {
    it(`${loader}: turns by end reason, latency, interruptions, tool calls, tokens by modality as reported`, async () => {
      const samples = await llm.startAndScrape(
        fixture,
        { OPENAI_BASE_URL: llm.server.baseURL, NODE_EXTRA_CA_CERTS: certificateFile },
        loader,
      );
      expect(
        llm.server.realtimeSessions.map((session) => session.responses.map((response) => response.status)),
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

      expectTokensAsReported(samples, llm.server.realtimeSessions);
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
    const samples = await llm.startAndScrape('realtime-app.cjs', {
      OPENAI_BASE_URL: llm.server.baseURL,
      NODE_EXTRA_CA_CERTS: certificateFile,
      OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'openai',
    });
    expect(llm.server.realtimeSessions).toHaveLength(3);
    expect(values(samples, 'voice_agent_voice_turns_total')).toEqual([]);
    expect(values(samples, 'voice_agent_gen_ai_client_operation_duration_seconds_count')).toEqual([]);
  });
});
