export { STANDARD_MARKS, type StandardMark } from './marks.js';
export type { VoiceTrackerOptions } from './options.js';
export type { CustomStage, PipelineKind } from './pipeline.js';
export type { VoiceSession } from './session.js';
export { createVoiceTracker, type VoiceTracker } from './tracker.js';
export type { TurnEndReason, VoiceTurn, VoiceUsage } from './turn.js';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';
