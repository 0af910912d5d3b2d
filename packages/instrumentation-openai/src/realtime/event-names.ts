/**
 * The Realtime events the observer reads, under both protocols: the GA names (`openai/realtime/*` in
 * openai 5 to 7, `@openai/agents-realtime`) and the beta ones (`openai/beta/realtime/*`, openai 4's only
 * Realtime client), which differ only where GA renamed an event.
 */

/** A delta of the reply's audio: the turn's first audio, and an output chunk. */
export const AUDIO_DELTAS: ReadonlySet<string> = new Set([
  'response.output_audio.delta',
  'response.audio.delta',
]);

/** Other output deltas: each is an output chunk (time to first chunk), none is audio. */
export const OTHER_OUTPUT_DELTAS: ReadonlySet<string> = new Set([
  'response.output_text.delta',
  'response.text.delta',
  'response.output_audio_transcript.delta',
  'response.audio_transcript.delta',
  'response.function_call_arguments.delta',
]);

/** An item entered the conversation (GA `added`, beta `created`): a function call's output ends the tool call. */
export const ITEM_ADDED: ReadonlySet<string> = new Set([
  'conversation.item.added',
  'conversation.item.created',
]);
