/** The `usage` object of a Realtime `response.done`, built from token counts by modality. */
import { realtimeDialect } from './realtime-dialect.js';
import type { RealtimeProtocol, RealtimeUsage } from './types.js';

export interface ModalityTokens {
  text: number;
  audio: number;
}

/**
 * Totals are the sums of their modalities; image tokens are always 0 here. In the `beta` protocol,
 * the same counts in the beta shape (no image tokens).
 */
export function realtimeUsage(
  input: ModalityTokens,
  cached: ModalityTokens,
  output: ModalityTokens,
  protocol: RealtimeProtocol = 'ga',
): RealtimeUsage {
  const inputTokens = input.text + input.audio;
  const outputTokens = output.text + output.audio;
  return realtimeDialect(protocol).usage({
    total_tokens: inputTokens + outputTokens,
    input_tokens: inputTokens,
    output_tokens: outputTokens,
    input_token_details: {
      text_tokens: input.text,
      audio_tokens: input.audio,
      image_tokens: 0,
      cached_tokens: cached.text + cached.audio,
      cached_tokens_details: { text_tokens: cached.text, audio_tokens: cached.audio, image_tokens: 0 },
    },
    output_token_details: { text_tokens: output.text, audio_tokens: output.audio },
  });
}
