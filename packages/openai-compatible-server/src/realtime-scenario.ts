/**
 * Realtime scenario directives: what one `/v1/realtime` session scripts (a barge-in, a tool call, a
 * failed response, a cut socket…) and its timings. They are selected as the HTTP scenarios are: the
 * `x-test-scenario` header of the upgrade request, or a suffix of the `model` query parameter after
 * '@' (`gpt-realtime@barge-in,first-audio-ms:50`), header first, later directives winning.
 */
import { readDirectives } from './scenarios.js';

export interface RealtimeScenario {
  /** The directives as received, or undefined when none. */
  raw?: string;
  /** `barge-in`: the user speaks during the first response's audio; the response is cancelled. */
  bargeIn: boolean;
  /** `tool-call`: the first response is a function call; the next `response.create` answers in audio. */
  toolCall: boolean;
  /** `response-failed`: the first response ends with status `failed`. */
  responseFailed: boolean;
  /** `error-event`: the first turn gets an `error` event instead of a response. */
  errorEvent: boolean;
  /** `cut-after-audio:<n>`: the socket is destroyed after the first response's n-th audio delta. */
  cutAfterAudio?: number;
  /** `audio-deltas:<n>`: audio deltas per response (each with one transcript word). */
  audioDeltas: number;
  /** `response-ms:<n>`: from the end of the user's turn to `response.created`. */
  responseMs: number;
  /** `first-audio-ms:<n>`: from `response.created` to the first `response.output_audio.delta`. */
  firstAudioMs: number;
  /** `audio-delta-ms:<n>`: between two audio deltas. */
  audioDeltaMs: number;
  /** `silence-ms:<n>`: server VAD: this long without `input_audio_buffer.append` ends the speech. */
  silenceMs: number;
  /** `barge-in-after:<n>`: with `barge-in`, the user speaks after this many audio deltas. */
  bargeInAfter: number;
}

export const REALTIME_DEFAULTS = {
  audioDeltas: 4,
  responseMs: 10,
  firstAudioMs: 30,
  audioDeltaMs: 10,
  silenceMs: 40,
  bargeInAfter: 2,
} as const;

const FLAGS = {
  'barge-in': 'bargeIn',
  'tool-call': 'toolCall',
  'response-failed': 'responseFailed',
  'error-event': 'errorEvent',
} as const satisfies Record<string, keyof RealtimeScenario>;

const NUMERIC = {
  'cut-after-audio': 'cutAfterAudio',
  'audio-deltas': 'audioDeltas',
  'response-ms': 'responseMs',
  'first-audio-ms': 'firstAudioMs',
  'audio-delta-ms': 'audioDeltaMs',
  'silence-ms': 'silenceMs',
  'barge-in-after': 'bargeInAfter',
} as const satisfies Record<string, keyof RealtimeScenario>;

/** Throws ScenarioError for an unknown or malformed directive. */
export function parseRealtimeScenario(raw: string | undefined): RealtimeScenario {
  const scenario: RealtimeScenario = {
    bargeIn: false,
    toolCall: false,
    responseFailed: false,
    errorEvent: false,
    ...REALTIME_DEFAULTS,
  };
  if (raw === undefined || raw.trim() === '') return scenario;
  scenario.raw = raw;
  readDirectives(raw, FLAGS, NUMERIC, scenario);
  scenario.audioDeltas = Math.max(1, scenario.audioDeltas);
  return scenario;
}
