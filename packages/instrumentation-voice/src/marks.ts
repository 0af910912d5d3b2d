/**
 * The moments of a turn the tracker knows, in the order a turn reaches them. The response
 * latency runs from the first to the last; the stages cut it at the marks in between.
 */
export const STANDARD_MARKS = [
  /** The user stopped speaking (the end of their speech, not the moment the VAD noticed it). */
  'user_speech_end',
  /** The turn detector decided the user is done (optional: not every pipeline has one). */
  'end_of_utterance',
  /** The final transcript of the user's speech arrived. */
  'stt_final',
  /** The LLM streamed its first token. */
  'llm_first_token',
  /** Text to speech returned its first audio bytes. */
  'tts_first_byte',
  /** The first audio of the agent's reply was played (or sent) to the user. */
  'first_audio_out',
] as const;

export type StandardMark = (typeof STANDARD_MARKS)[number];

/** Where the response latency starts and ends. */
export const RESPONSE_START: StandardMark = 'user_speech_end';
export const RESPONSE_END: StandardMark = 'first_audio_out';
