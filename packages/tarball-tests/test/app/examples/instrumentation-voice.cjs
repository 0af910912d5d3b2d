// @va/instrumentation-voice's README: one session with one turn, every pipeline mark and its usage.
'use strict';
const { collectPoints } = require('../in-memory-metrics.cjs');

module.exports = async ({ createVoiceTracker }) => {
  const tracker = createVoiceTracker({ agentName: 'support-agent' });
  const session = tracker.startSession();
  const turn = session.startTurn();
  turn.mark('user_speech_end');
  turn.mark('stt_final');
  turn.mark('llm_first_token');
  turn.mark('tts_first_byte');
  turn.mark('first_audio_out');
  turn.addUsage({ sttAudioSeconds: 3.2, ttsCharacters: 140, inputTokens: 1200, outputTokens: 60 });
  turn.end();
  session.end();
  return { points: await collectPoints() };
};
