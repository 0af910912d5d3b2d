import { type ModalityCounts, TOKEN_MODALITIES, type TokenModality, type TokenUsage } from './token-usage.js';

export type TokenType = 'input' | 'output';

/**
 * One point of the token usage histogram: a token type, split by modality where the provider split it.
 * `modality` is undefined for an unsplit total, so a type is recorded either whole or as its modalities,
 * never both (issue 18's counting rule: the modalities of one type add up to its total).
 */
export interface TokenPart {
  readonly tokenType: TokenType;
  readonly modality: TokenModality | undefined;
  readonly tokens: number;
}

/** A count per reported modality, zero counts left out: a modality that carried nothing makes no series. */
export function modalityParts(split: ModalityCounts): Array<{ modality: TokenModality; tokens: number }> {
  const parts: Array<{ modality: TokenModality; tokens: number }> = [];
  for (const modality of TOKEN_MODALITIES) {
    const tokens = split[modality];
    if (tokens !== undefined && tokens > 0) parts.push({ modality, tokens });
  }
  return parts;
}

function partsOf(
  tokenType: TokenType,
  total: number | undefined,
  split: ModalityCounts | undefined,
): TokenPart[] {
  if (total === undefined) return [];
  if (split === undefined) return [{ tokenType, modality: undefined, tokens: total }];
  return modalityParts(split).map(({ modality, tokens }) => ({ tokenType, modality, tokens }));
}

/** The points a usage record makes on the token usage histogram: input first, then output. */
export function tokenParts(usage: TokenUsage): TokenPart[] {
  return [
    ...partsOf('input', usage.input, usage.inputByModality),
    ...partsOf('output', usage.output, usage.outputByModality),
  ];
}
