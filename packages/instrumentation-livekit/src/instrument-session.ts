import { createVoiceTracker, type VoiceTracker } from '@va/instrumentation-voice';
import { claimSession } from './claims.js';
import { GenAIMetrics } from './genai-metrics.js';
import type { LiveKitSession } from './livekit-events.js';
import type { LiveKitSessionOptions } from './options.js';
import { reportFault } from './report-fault.js';
import { SessionObserver } from './session-observer.js';

/**
 * One tracker per meter provider and agent name, made on first use: a tracker carries its agent name on
 * every voice metric, and agent names are few (fixed at deploy time).
 */
const trackers = new Map<unknown, Map<string | undefined, VoiceTracker>>();

function trackerFor(options: LiveKitSessionOptions): VoiceTracker {
  let byAgent = trackers.get(options.meterProvider);
  if (byAgent === undefined) {
    byAgent = new Map();
    trackers.set(options.meterProvider, byAgent);
  }
  let tracker = byAgent.get(options.agentName);
  if (tracker === undefined) {
    tracker = createVoiceTracker({ agentName: options.agentName, meterProvider: options.meterProvider });
    byAgent.set(options.agentName, tracker);
  }
  return tracker;
}

/** Runs a listener body; a fault is logged once and never reaches the session's emitter. */
function guarded<E>(name: string, body: (event: E) => void): (event: E) => void {
  return (event) => {
    try {
      body(event);
    } catch (error) {
      reportFault(name, error);
    }
  };
}

/**
 * Measures a LiveKit `voice.AgentSession` from its events: each reply's response latency and stages,
 * turns by how they ended, interruptions, the session, its LLM calls' GenAI metrics, STT audio and TTS
 * characters. Only adds listeners: the session's behaviour, events and timing are untouched. A second
 * call on the same session does nothing, so nothing is counted twice.
 *
 * @example
 * const session = new voice.AgentSession({ stt, llm, tts, vad });
 * instrumentLiveKitSession(session, { agentName: 'support-agent' });
 * await session.start({ agent, room: ctx.room });
 */
export function instrumentLiveKitSession(session: LiveKitSession, options: LiveKitSessionOptions = {}): void {
  try {
    if (session === null || typeof session !== 'object' || typeof session.on !== 'function') return;
    if (!claimSession(session)) return;
    const settings = options ?? {};
    const observer = new SessionObserver(trackerFor(settings), new GenAIMetrics(settings));
    session.on(
      'metrics_collected',
      guarded('metrics_collected', (event) => observer.metricsCollected(event)),
    );
    session.on(
      'speech_created',
      guarded('speech_created', (event) => observer.speechCreated(event)),
    );
    session.on(
      'close',
      guarded('close', () => observer.closed()),
    );
  } catch (error) {
    reportFault('instrumentLiveKitSession', error);
  }
}
