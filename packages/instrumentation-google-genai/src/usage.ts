import {
  fieldOf,
  type ModalityCounts,
  type TokenModality,
  type TokenUsage,
  tokenCountOf,
} from '@va/instrumentation-genai';

function sumOf(parts: readonly (number | undefined)[]): number | undefined {
  let sum: number | undefined;
  for (const part of parts) if (part !== undefined) sum = (sum ?? 0) + part;
  return sum;
}

const MODALITIES: Readonly<Record<string, TokenModality>> = { TEXT: 'text', AUDIO: 'audio', IMAGE: 'image' };

/**
 * A `[{ modality, tokenCount }]` list as counts per modality, only when every entry is a modality the
 * conventions name and the counts add up to `total`: a split that leaves tokens out (VIDEO, DOCUMENT)
 * would under-count the type, so the total is then recorded whole.
 */
function modalitySplit(details: unknown, total: number | undefined): ModalityCounts | undefined {
  if (total === undefined || !Array.isArray(details) || details.length === 0) return undefined;
  const split: Partial<Record<TokenModality, number>> = {};
  let sum = 0;
  for (const detail of details) {
    const modality = MODALITIES[String(fieldOf(detail, 'modality'))];
    const tokens = tokenCountOf(fieldOf(detail, 'tokenCount')) ?? 0;
    if (modality === undefined) return undefined;
    split[modality] = (split[modality] ?? 0) + tokens;
    sum += tokens;
  }
  return sum === total ? split : undefined;
}

/**
 * Reads a Gemini `usageMetadata` (a response's, or a stream chunk's: running totals, so the last one
 * read is the call's). `promptTokenCount` already counts the cached tokens (`cachedContentTokenCount`
 * is its subset); the output is the candidates' tokens and the thinking tokens (`thoughtsTokenCount`),
 * which are also the reasoning output. A usage with no count at all reads as undefined.
 */
export function readGeminiUsage(usage: unknown): TokenUsage | undefined {
  if (usage === null || typeof usage !== 'object') return undefined;
  const input = tokenCountOf(fieldOf(usage, 'promptTokenCount'));
  const candidates = tokenCountOf(fieldOf(usage, 'candidatesTokenCount'));
  const thoughts = tokenCountOf(fieldOf(usage, 'thoughtsTokenCount'));
  const cachedInput = tokenCountOf(fieldOf(usage, 'cachedContentTokenCount'));
  const output = sumOf([candidates, thoughts]);
  if (input === undefined && output === undefined) return undefined;
  return {
    input,
    output,
    cachedInput,
    reasoningOutput: thoughts,
    inputByModality: modalitySplit(fieldOf(usage, 'promptTokensDetails'), input),
    cachedInputByModality: modalitySplit(fieldOf(usage, 'cacheTokensDetails'), cachedInput),
    outputByModality: modalitySplit(fieldOf(usage, 'candidatesTokensDetails'), output),
  };
}

/**
 * The input tokens of an `embedContent` response, where Google reports them: Vertex AI's
 * `embeddings[].statistics.tokenCount`, one per content, added up. The Gemini API reports none.
 */
export function readEmbeddingUsage(response: unknown): TokenUsage | undefined {
  const embeddings = fieldOf(response, 'embeddings');
  if (!Array.isArray(embeddings)) return undefined;
  const input = sumOf(
    embeddings.map((embedding) => tokenCountOf(fieldOf(fieldOf(embedding, 'statistics'), 'tokenCount'))),
  );
  return input === undefined ? undefined : { input };
}
