import { RESPONSE_END, RESPONSE_START } from './marks.js';
import { warnAboutOption } from './report-misuse.js';

/** One stage of the pipeline: it ends at `mark` and is recorded as `voice.stage` = `stage`. */
export interface PipelineStep {
  readonly mark: string;
  readonly stage: string;
}

/**
 * A stage of the app's own, placed in the pipeline between two marks.
 *
 * `{ name: 'rag', from: 'stt_final', to: 'rag_done' }` makes `rag` run from the final transcript to
 * the app's `rag_done` mark; the stage that followed `stt_final` (`llm_first_token`) then starts at
 * `rag_done`, so the stages still add up to the response latency.
 */
export interface CustomStage {
  /** The `voice.stage` value. A fixed name, never built from user input: it is a label. */
  readonly name: string;
  /** The mark the stage follows: a standard mark before `first_audio_out`, or another custom stage's `to`. */
  readonly from: string;
  /** The app's mark that ends the stage, e.g. `rag_done`. */
  readonly to: string;
}

/** The marks of a turn in order, and the stage that ends at each one but the first. */
export interface Pipeline {
  /** The mark the response latency and the first stage start from. */
  readonly start: string;
  /** The stages, in order; the last one ends at the end of the response latency. */
  readonly steps: readonly PipelineStep[];
  /** The mark the response latency ends at. */
  readonly end: string;
  /** Whether a mark is part of the pipeline; the tracker keeps no other mark. */
  has(mark: string): boolean;
}

/**
 * The standard stages, each named after what it waits for. The last one, from the first TTS bytes
 * to the first audio played, has no name in the conventions (`voice.stage` allows app-named
 * stages): jitter buffers, resampling and transport live there, and without it the stages would
 * not add up to the response latency.
 */
export const STANDARD_STEPS: readonly PipelineStep[] = [
  { mark: 'end_of_utterance', stage: 'end_of_utterance' },
  { mark: 'stt_final', stage: 'stt' },
  { mark: 'llm_first_token', stage: 'llm_first_token' },
  { mark: 'tts_first_byte', stage: 'tts_first_byte' },
  { mark: RESPONSE_END, stage: 'audio_out' },
];

/**
 * The stages of a speech-to-speech model (the Realtime API), which hears and speaks itself: from the end
 * of the user's speech until the model starts its response (server-side turn detection and queueing),
 * then until its first audio.
 */
export const SPEECH_TO_SPEECH_STEPS: readonly PipelineStep[] = [
  { mark: 'response_created', stage: 'response_created' },
  { mark: RESPONSE_END, stage: 'first_audio' },
];

/** Which stages a turn has: an STT → LLM → TTS pipeline (`cascade`), or a speech-to-speech model. */
export type PipelineKind = 'cascade' | 'speech_to_speech';

function isName(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** Why a custom stage cannot join the pipeline as it stands, or undefined when it can. */
function problemWith(
  custom: CustomStage,
  steps: readonly PipelineStep[],
  usedFroms: Set<string>,
): string | undefined {
  if (custom === null || typeof custom !== 'object') return 'it is not an object';
  if (!isName(custom.name) || !isName(custom.from) || !isName(custom.to)) {
    return 'name, from and to must be non-empty strings';
  }
  if (steps.some((step) => step.stage === custom.name)) return `the stage ${custom.name} already exists`;
  if (custom.to === RESPONSE_START || steps.some((step) => step.mark === custom.to)) {
    return `the mark ${custom.to} already ends a stage`;
  }
  if (custom.from === RESPONSE_END) return `nothing comes after ${RESPONSE_END} in a response`;
  if (custom.from !== RESPONSE_START && !steps.some((step) => step.mark === custom.from)) {
    return `the mark ${custom.from} is not in the pipeline (declare the stage that ends there first)`;
  }
  // Two stages from the same mark would be ambiguous: which one runs first? Chain them instead.
  if (usedFroms.has(custom.from)) return `another stage already starts at ${custom.from}; chain them instead`;
  return undefined;
}

/**
 * The standard pipeline with the app's stages inserted after their `from` marks. A stage that cannot
 * be placed is dropped with a warning rather than thrown: a typo in a stage must not stop an agent.
 */
export function buildPipeline(
  customStages: readonly CustomStage[] = [],
  kind: PipelineKind = 'cascade',
): Pipeline {
  const steps = [...(kind === 'speech_to_speech' ? SPEECH_TO_SPEECH_STEPS : STANDARD_STEPS)];
  const usedFroms = new Set<string>();
  const declared: readonly CustomStage[] = Array.isArray(customStages) ? customStages : [];
  for (const [index, custom] of declared.entries()) {
    const problem = problemWith(custom, steps, usedFroms);
    if (problem !== undefined) {
      warnAboutOption(`stages[${index}] dropped: ${problem}`);
      continue;
    }
    usedFroms.add(custom.from);
    const at = custom.from === RESPONSE_START ? 0 : steps.findIndex((step) => step.mark === custom.from) + 1;
    steps.splice(at, 0, { mark: custom.to, stage: custom.name });
  }
  const marks = new Set([RESPONSE_START, ...steps.map((step) => step.mark)]);
  return { start: RESPONSE_START, steps, end: RESPONSE_END, has: (mark) => marks.has(mark) };
}
