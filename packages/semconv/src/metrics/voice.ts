import { GEN_AI_AGENT_NAME, VOICE_STAGE, VOICE_TURN_END_REASON } from '../attributes.js';
import { GEN_AI_TOKEN_BUCKETS, VOICE_LATENCY_BUCKETS, VOICE_SESSION_TURN_BUCKETS } from '../buckets.js';
import type { MetricDefinition } from '../types.js';

/** None of these is in the OpenTelemetry conventions yet; the names follow their style. */
const RECORDED_BY_VOICE = '@va/instrumentation-voice';

export const VOICE_TURN_RESPONSE_LATENCY: MetricDefinition = {
  name: 'voice.turn.response_latency',
  kind: 'histogram',
  unit: 's',
  description:
    "What the user feels: from the end of their speech to the first audio of the agent's reply, per turn that reached first audio.",
  buckets: VOICE_LATENCY_BUCKETS,
  attributes: [GEN_AI_AGENT_NAME],
  recordedBy: RECORDED_BY_VOICE,
  stability: 'development',
};

export const VOICE_STAGE_DURATION: MetricDefinition = {
  name: 'voice.stage.duration',
  kind: 'histogram',
  unit: 's',
  description:
    "Where a turn's time went: the duration of each stage between the user's end of speech and the first audio out. A stacked panel of the stages' means adds up to the response latency.",
  buckets: VOICE_LATENCY_BUCKETS,
  attributes: [VOICE_STAGE, GEN_AI_AGENT_NAME],
  recordedBy: RECORDED_BY_VOICE,
  stability: 'development',
};

export const VOICE_TURNS: MetricDefinition = {
  name: 'voice.turns',
  kind: 'counter',
  unit: '{turn}',
  description: 'Turns that ended, by how they ended.',
  attributes: [VOICE_TURN_END_REASON, GEN_AI_AGENT_NAME],
  recordedBy: RECORDED_BY_VOICE,
  stability: 'development',
};

export const VOICE_TURN_INTERRUPTIONS: MetricDefinition = {
  name: 'voice.turn.interruptions',
  kind: 'counter',
  unit: '{interruption}',
  description: 'Times the user barged in while the agent was speaking or about to.',
  attributes: [GEN_AI_AGENT_NAME],
  recordedBy: RECORDED_BY_VOICE,
  stability: 'development',
};

export const VOICE_SESSION_ACTIVE: MetricDefinition = {
  name: 'voice.session.active',
  kind: 'updowncounter',
  unit: '{session}',
  description: 'Voice sessions open now.',
  attributes: [GEN_AI_AGENT_NAME],
  recordedBy: RECORDED_BY_VOICE,
  stability: 'development',
};

export const VOICE_SESSION_TURNS: MetricDefinition = {
  name: 'voice.session.turns',
  kind: 'histogram',
  unit: '{turn}',
  description: 'Turns per session, recorded when the session ends.',
  buckets: VOICE_SESSION_TURN_BUCKETS,
  attributes: [GEN_AI_AGENT_NAME],
  recordedBy: RECORDED_BY_VOICE,
  stability: 'development',
};

export const VOICE_SESSION_TOKENS: MetricDefinition = {
  name: 'voice.session.tokens',
  kind: 'histogram',
  unit: '{token}',
  description:
    'LLM tokens per session (input and output), as the app reported them on its turns, recorded when the session ends.',
  buckets: GEN_AI_TOKEN_BUCKETS,
  attributes: [GEN_AI_AGENT_NAME],
  recordedBy: RECORDED_BY_VOICE,
  stability: 'development',
};

export const VOICE_STT_AUDIO_DURATION: MetricDefinition = {
  name: 'voice.stt.audio.duration',
  kind: 'counter',
  unit: 's',
  description: 'Seconds of audio sent to speech to text, the unit most STT vendors bill by.',
  attributes: [GEN_AI_AGENT_NAME],
  recordedBy: RECORDED_BY_VOICE,
  stability: 'development',
};

export const VOICE_TTS_CHARACTERS: MetricDefinition = {
  name: 'voice.tts.characters',
  kind: 'counter',
  unit: '{character}',
  description: 'Characters sent to text to speech, the unit most TTS vendors bill by.',
  attributes: [GEN_AI_AGENT_NAME],
  recordedBy: RECORDED_BY_VOICE,
  stability: 'development',
};

export const VOICE_TTS_AUDIO_DURATION: MetricDefinition = {
  name: 'voice.tts.audio.duration',
  kind: 'counter',
  unit: 's',
  description:
    'Seconds of audio text to speech produced: what the agent said, and the unit some TTS vendors bill by.',
  attributes: [GEN_AI_AGENT_NAME],
  recordedBy: RECORDED_BY_VOICE,
  stability: 'development',
};

export const VOICE_METRICS: readonly MetricDefinition[] = [
  VOICE_TURN_RESPONSE_LATENCY,
  VOICE_STAGE_DURATION,
  VOICE_TURNS,
  VOICE_TURN_INTERRUPTIONS,
  VOICE_SESSION_ACTIVE,
  VOICE_SESSION_TURNS,
  VOICE_SESSION_TOKENS,
  VOICE_STT_AUDIO_DURATION,
  VOICE_TTS_CHARACTERS,
  VOICE_TTS_AUDIO_DURATION,
];
