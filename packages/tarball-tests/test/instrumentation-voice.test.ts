import { expect, it } from 'vitest';
import { describeInstalled, MODULE_SYSTEMS } from './support/describe-installed.js';
import { REGISTRY, runInApp } from './support/user-app.js';

describeInstalled('@va/instrumentation-voice', { ...REGISTRY.api, ...REGISTRY.sdkMetrics }, (app) => {
  it.each(MODULE_SYSTEMS)(
    '%s: its README example records one turn, its stages, the session and the usage',
    async (_, loader) => {
      const agent = { 'gen_ai.agent.name': 'support-agent' };
      const once = { count: 1, sum: expect.any(Number) };
      const stage = (name: string) => ({
        name: 'voice.stage.duration',
        attributes: { ...agent, 'voice.stage': name },
        ...once,
      });
      expect(await runInApp(app(), [loader, '@va/instrumentation-voice'])).toEqual({
        points: [
          { name: 'voice.turn.response_latency', attributes: agent, ...once },
          stage('stt'),
          stage('llm_first_token'),
          stage('tts_first_byte'),
          stage('audio_out'),
          { name: 'voice.turns', attributes: { ...agent, 'voice.turn.end_reason': 'completed' }, value: 1 },
          { name: 'voice.session.active', attributes: agent, value: 0 },
          { name: 'voice.session.turns', attributes: agent, count: 1, sum: 1 },
          { name: 'voice.session.tokens', attributes: agent, count: 1, sum: 1260 },
          { name: 'voice.stt.audio.duration', attributes: agent, value: 3.2 },
          { name: 'voice.tts.characters', attributes: agent, value: 140 },
        ],
      });
    },
  );
});
