/** The GenAI conventions' `gen_ai.token.modality` values a provider reports tokens under. */
export type TokenModality = 'text' | 'audio' | 'image';

/** The modalities in the order they are recorded. */
export const TOKEN_MODALITIES: readonly TokenModality[] = ['text', 'audio', 'image'];

/** One token count per modality; a modality the provider did not report is absent. */
export type ModalityCounts = Readonly<Partial<Record<TokenModality, number>>>;

/**
 * Token counts exactly as the provider reported them. Each field is absent when the provider did
 * not report it; nothing is estimated here.
 */
export interface TokenUsage {
  /** Input tokens, cached ones included. */
  readonly input?: number;
  /** Output tokens, reasoning ones included. */
  readonly output?: number;
  /** Of `input`, the tokens read from the provider's prompt cache. */
  readonly cachedInput?: number;
  /**
   * Of `input`, the tokens written to the provider's prompt cache (Anthropic's
   * `cache_creation_input_tokens`), which some providers bill above the input price.
   */
  readonly cacheWriteInput?: number;
  /** Of `cacheWriteInput`, those written to a one-hour cache (Anthropic's `ephemeral_1h_input_tokens`), billed higher still. */
  readonly cacheWrite1hInput?: number;
  /** Of `output`, the tokens the model spent reasoning. */
  readonly reasoningOutput?: number;
  /**
   * The split of `input` (of `cachedInput`, of `output`) by modality, present only when the provider
   * reports one whose counts add up to that total (the Realtime API's `usage`). Absent, the total is
   * recorded without `gen_ai.token.modality`.
   */
  readonly inputByModality?: ModalityCounts;
  readonly cachedInputByModality?: ModalityCounts;
  readonly outputByModality?: ModalityCounts;
}
