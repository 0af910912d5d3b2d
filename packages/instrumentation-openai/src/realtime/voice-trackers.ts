import { createVoiceTracker, type VoiceTracker } from '@va/instrumentation-voice';
import type { Settings } from '../options.js';

/**
 * One speech-to-speech tracker per instrumentation settings and agent name, made on first use: a tracker
 * carries its agent name on every voice metric. Agent names are few (fixed at deploy time), so the map
 * stays small; the settings are the key so a meter provider given in the options is honoured.
 */
const trackers = new WeakMap<Settings, Map<string | undefined, VoiceTracker>>();

export function voiceTrackerFor(settings: Settings, agentName: string | undefined): VoiceTracker {
  let byAgent = trackers.get(settings);
  if (byAgent === undefined) {
    byAgent = new Map();
    trackers.set(settings, byAgent);
  }
  let tracker = byAgent.get(agentName);
  if (tracker === undefined) {
    tracker = createVoiceTracker({
      agentName,
      meterProvider: settings.meterProvider,
      pipeline: 'speech_to_speech',
    });
    byAgent.set(agentName, tracker);
  }
  return tracker;
}
