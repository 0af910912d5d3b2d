import type { PromptTier, TokenPrice } from './prices.js';

/**
 * The price of a call with `inputTokens` of prompt: the model's price with the fields of its highest tier
 * (`above`) whose `inputTokens` the prompt exceeds laid over it, or the price itself when no tier applies.
 * The whole call is priced at that tier, output included, as Google and Anthropic bill long prompts.
 */
export function priceForPrompt(price: TokenPrice, inputTokens: number): TokenPrice {
  let tier: PromptTier | undefined;
  for (const candidate of price.above ?? []) {
    if (
      inputTokens > candidate.inputTokens &&
      (tier === undefined || candidate.inputTokens > tier.inputTokens)
    )
      tier = candidate;
  }
  if (tier === undefined) return price;
  const { above: _tiers, ...base } = price;
  const { inputTokens: _threshold, ...rates } = tier;
  return { ...base, ...rates };
}
