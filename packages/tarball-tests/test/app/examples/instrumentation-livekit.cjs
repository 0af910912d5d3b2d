// @va/instrumentation-livekit's README: an AgentSession with the OpenAI plugin's LLM (against the
// bundled server at OPENAI_BASE_URL) instrumented before it starts; two typed replies in text mode, then
// the session closed and the points recorded.
'use strict';
const { collectPoints } = require('../in-memory-metrics.cjs');
const { initializeLogger, voice } = require('@livekit/agents');
const openai = require('@livekit/agents-plugin-openai');

module.exports = async ({ instrumentLiveKitSession }) => {
  initializeLogger({ pretty: false, level: 'silent' });
  const session = new voice.AgentSession({ llm: new openai.LLM({ model: 'gpt-4o-mini' }) });
  instrumentLiveKitSession(session, { agentName: 'support-agent' });
  await session.start({ agent: new voice.Agent({ instructions: 'You are terse.' }) });
  for (const userInput of ['Hello', 'Goodbye']) await session.run({ userInput }).wait();
  await session.close();
  return { points: await collectPoints() };
};
