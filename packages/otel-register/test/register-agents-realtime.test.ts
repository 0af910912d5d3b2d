// A voice agent built on the OpenAI Agents SDK (`@openai/agents-realtime`), installed as a user installs
// it and started under the register with no instrumentation code: its RealtimeSessions show up on
// /metrics as speech-to-speech turns, tool calls and tokens. The package needs Node 22 or newer (it
// depends on openai 7), so it is installed at test time outside the monorepo and skipped on Node 20.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installApp } from '@va/test-metrics/installed-app';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBundledServer } from './support/bundled-server.js';
import { samplesOf, withoutScope } from './support/exposition.js';
import { expectTokensAsReported, total } from './support/realtime-usage.js';

const RUNS = Number(process.versions.node.split('.')[0]) >= 22;
const SKIPPED = RUNS
  ? ''
  : ` (skipped: @openai/agents-realtime needs Node 22 or newer, for openai 7; this is Node ${process.versions.node})`;
const APP_FILES = fileURLToPath(new URL('./fixtures/agents-realtime', import.meta.url));
// Pinned, as the lockfile pins the monorepo's own dependencies.
const DEPENDENCIES = { '@openai/agents-realtime': '0.20.0', '@openai/agents': '0.20.0', zod: '4.6.7' };

describe.skipIf(!RUNS)(
  `the register measures @openai/agents-realtime sessions, with no code in the app${SKIPPED}`,
  () => {
    const llm = useBundledServer();
    let directory: string;

    beforeAll(() => {
      directory = installApp('register-agents-realtime', DEPENDENCIES, { files: APP_FILES }).directory;
    });

    for (const [fixture, loader] of [
      ['agents-app.cjs', '--require'],
      ['agents-app.mjs', '--import'],
      ['umbrella-app.mjs', '--import'],
    ] as const) {
      it(`${fixture}, ${loader}: turns by end reason, interruptions, the agent's tool, tokens by modality as reported`, async () => {
        const samples = await llm.startAndScrape(
          join(directory, fixture),
          { REALTIME_URL: `${llm.server.baseURL.replace(/^http/, 'ws')}/realtime` },
          loader,
        );
        expect(
          llm.server.realtimeSessions.map((session) => session.responses.map((response) => response.status)),
        ).toEqual([['completed'], ['cancelled', 'completed'], ['completed', 'completed']]);

        const turns = samplesOf(samples, 'voice_agent_voice_turns_total').map((sample) => [
          withoutScope(sample.labels),
          sample.value,
        ]);
        expect(turns).toEqual(
          expect.arrayContaining([
            [{ gen_ai_agent_name: 'Greeter', voice_turn_end_reason: 'completed' }, 4],
            [{ gen_ai_agent_name: 'Greeter', voice_turn_end_reason: 'interrupted' }, 1],
          ]),
        );
        expect(turns).toHaveLength(2);
        expect(total(samples, 'voice_agent_voice_turn_interruptions_total')).toBe(1);
        expect(total(samples, 'voice_agent_voice_session_active')).toBe(0);
        expect(total(samples, 'voice_agent_voice_session_turns_count')).toBe(3);
        expect(
          samplesOf(samples, 'voice_agent_gen_ai_execute_tool_duration_seconds_count').map((sample) => [
            withoutScope(sample.labels),
            sample.value,
          ]),
        ).toEqual([
          [
            { gen_ai_tool_name: 'get_weather', gen_ai_tool_type: 'function', gen_ai_agent_name: 'Greeter' },
            1,
          ],
        ]);
        expect(total(samples, 'voice_agent_gen_ai_client_operation_duration_seconds_count')).toBe(5);

        expectTokensAsReported(samples, llm.server.realtimeSessions);
        expect(
          total(samples, 'voice_agent_gen_ai_client_cost_usd_total', {
            gen_ai_response_model: 'gpt-realtime-1.5',
          }),
        ).toBeGreaterThan(0);
      });
    }

    it('OTEL_NODE_DISABLED_INSTRUMENTATIONS=openai: no session is measured', async () => {
      const samples = await llm.startAndScrape(join(directory, 'agents-app.cjs'), {
        REALTIME_URL: `${llm.server.baseURL.replace(/^http/, 'ws')}/realtime`,
        OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'openai',
      });
      expect(llm.server.realtimeSessions).toHaveLength(3);
      expect(samplesOf(samples, 'voice_agent_voice_turns_total')).toEqual([]);
      expect(samplesOf(samples, 'voice_agent_gen_ai_client_operation_duration_seconds_count')).toEqual([]);
    });
  },
);
