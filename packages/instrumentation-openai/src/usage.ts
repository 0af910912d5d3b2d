import {
  fieldOf,
  type ModalityCounts,
  TOKEN_MODALITIES,
  type TokenModality,
  type TokenUsage,
  tokenCountOf,
} from '@va/instrumentation-genai';

/**
 * Reads a `usage` object in either of OpenAI's spellings: Chat Completions / embeddings
 * (`prompt_tokens`, `completion_tokens`, `*_tokens_details`) or Responses / audio
 * (`input_tokens`, `output_tokens`, `*_tokens_details`). Audio usage of `type: "duration"` has no
 * tokens and reads as undefined.
 */
export function readUsage(usage: unknown): TokenUsage | undefined {
  if (usage === null || typeof usage !== 'object') return undefined;
  const input = tokenCountOf(fieldOf(usage, 'input_tokens'));
  if (input !== undefined || tokenCountOf(fieldOf(usage, 'output_tokens')) !== undefined) {
    return {
      input,
      output: tokenCountOf(fieldOf(usage, 'output_tokens')),
      cachedInput: tokenCountOf(fieldOf(fieldOf(usage, 'input_tokens_details'), 'cached_tokens')),
      reasoningOutput: tokenCountOf(fieldOf(fieldOf(usage, 'output_tokens_details'), 'reasoning_tokens')),
    };
  }
  const prompt = tokenCountOf(fieldOf(usage, 'prompt_tokens'));
  if (prompt === undefined && tokenCountOf(fieldOf(usage, 'completion_tokens')) === undefined)
    return undefined;
  return {
    input: prompt,
    output: tokenCountOf(fieldOf(usage, 'completion_tokens')),
    cachedInput: tokenCountOf(fieldOf(fieldOf(usage, 'prompt_tokens_details'), 'cached_tokens')),
    reasoningOutput: tokenCountOf(fieldOf(fieldOf(usage, 'completion_tokens_details'), 'reasoning_tokens')),
  };
}

/**
 * The split of `total` the provider reported under `details` (`text_tokens`, `audio_tokens`,
 * `image_tokens`), or undefined when it reported none or its counts do not add up to the total: then
 * the total is recorded unsplit, never a split that disagrees with it. A total of 0 splits into nothing.
 */
function modalitiesOf(total: number | undefined, details: unknown): ModalityCounts | undefined {
  if (total === undefined) return undefined;
  const counts: Partial<Record<TokenModality, number>> = {};
  let sum = 0;
  for (const modality of TOKEN_MODALITIES) {
    const tokens = tokenCountOf(fieldOf(details, `${modality}_tokens`));
    if (tokens === undefined) continue;
    counts[modality] = tokens;
    sum += tokens;
  }
  if (total === 0) return {};
  return sum === total ? counts : undefined;
}

/**
 * Reads a Realtime `usage` (`response.done`; the same shape as token-billed input-audio transcription):
 * `input_tokens`, `output_tokens` and, in `input_token_details` / `output_token_details` (singular
 * "token", unlike the Responses API's `input_tokens_details`), the counts per modality, with the cached
 * ones in `cached_tokens` and `cached_tokens_details`.
 */
export function readRealtimeUsage(usage: unknown): TokenUsage | undefined {
  if (usage === null || typeof usage !== 'object') return undefined;
  const input = tokenCountOf(fieldOf(usage, 'input_tokens'));
  const output = tokenCountOf(fieldOf(usage, 'output_tokens'));
  if (input === undefined && output === undefined) return undefined;
  const inputDetails = fieldOf(usage, 'input_token_details');
  const cachedInput = tokenCountOf(fieldOf(inputDetails, 'cached_tokens'));
  return {
    input,
    output,
    cachedInput,
    inputByModality: modalitiesOf(input, inputDetails),
    cachedInputByModality: modalitiesOf(cachedInput, fieldOf(inputDetails, 'cached_tokens_details')),
    outputByModality: modalitiesOf(output, fieldOf(usage, 'output_token_details')),
  };
}
