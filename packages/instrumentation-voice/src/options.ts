import type { MeterProvider } from '@opentelemetry/api';
import { buildPipeline, type CustomStage, type Pipeline, type PipelineKind } from './pipeline.js';
import { warnAboutOption } from './report-misuse.js';

export interface VoiceTrackerOptions {
  /**
   * `gen_ai.agent.name` on every metric (`support-agent`). A name per agent, fixed at deploy time:
   * never a session, call or user identifier.
   */
  readonly agentName?: string;
  /** Where to record. Default: the global meter provider, looked up at each recording. */
  readonly meterProvider?: MeterProvider;
  /** The time in milliseconds, for marks without an explicit time. Default: `performance.now()`. */
  readonly clock?: () => number;
  /** A turn without any call for this long is closed as `abandoned`. Default: 60 000 ms. */
  readonly turnTimeoutMs?: number;
  /** The most turns kept open at once; past it the least recently active is closed as `abandoned`. Default: 10 000. */
  readonly maxOpenTurns?: number;
  /** The app's own stages, inserted into the pipeline between its marks. */
  readonly stages?: readonly CustomStage[];
  /**
   * `cascade` (default): the stages of an STT → LLM → TTS pipeline, between the standard marks.
   * `speech_to_speech`: a model that hears and speaks itself; its turns are marked `user_speech_end`,
   * `response_created` and `first_audio_out`, and record the stages `response_created` and `first_audio`.
   */
  readonly pipeline?: PipelineKind;
}

export interface TrackerSettings {
  readonly agentName: string | undefined;
  readonly meterProvider: MeterProvider | undefined;
  readonly clock: () => number;
  readonly turnTimeoutMs: number;
  readonly maxOpenTurns: number;
  readonly pipeline: Pipeline;
}

const DEFAULT_TURN_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_OPEN_TURNS = 10_000;

function defaultClock(): number {
  return performance.now();
}

/** The option if it is valid; else the default, with a warning (a bad option must not stop an agent). */
function valid<T>(name: string, value: T | undefined, isValid: (value: T) => boolean, fallback: T): T {
  if (value === undefined) return fallback;
  if (isValid(value)) return value;
  warnAboutOption(`option ${name} ${String(value)} is not valid; using ${String(fallback)}`);
  return fallback;
}

export function resolveSettings(options: VoiceTrackerOptions = {}): TrackerSettings {
  return {
    agentName: valid<string | undefined>(
      'agentName',
      options.agentName,
      (name) => typeof name === 'string' && name.length > 0,
      undefined,
    ),
    meterProvider: options.meterProvider,
    clock: valid('clock', options.clock, (clock) => typeof clock === 'function', defaultClock),
    turnTimeoutMs: valid(
      'turnTimeoutMs',
      options.turnTimeoutMs,
      (ms) => typeof ms === 'number' && Number.isFinite(ms) && ms > 0,
      DEFAULT_TURN_TIMEOUT_MS,
    ),
    maxOpenTurns: valid(
      'maxOpenTurns',
      options.maxOpenTurns,
      (count) => Number.isSafeInteger(count) && count > 0,
      DEFAULT_MAX_OPEN_TURNS,
    ),
    pipeline: buildPipeline(
      options.stages,
      valid<PipelineKind>(
        'pipeline',
        options.pipeline,
        (kind) => kind === 'cascade' || kind === 'speech_to_speech',
        'cascade',
      ),
    ),
  };
}
