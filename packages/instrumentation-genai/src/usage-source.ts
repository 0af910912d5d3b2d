import type { Attributes } from '@opentelemetry/api';
import { withAttribute } from './attribute-sets.js';
import type { ModelPrice } from './prices.js';

/** Whose usage it is: the response of a call, or of a Realtime session. */
export interface UsageSource {
  /** The price of a model: the price table the usage is priced by. */
  readonly priceOf: (model: string) => ModelPrice | undefined;
  /** The recorded set: operation, provider, request model, response model, server address and port. */
  readonly attributes: Attributes;
  readonly requestModel: string | undefined;
  /** The model as the provider reported it, before any normalising: what its price is found by. */
  readonly reportedResponseModel: string | undefined;
  /** The model as recorded on `gen_ai.response.model`. */
  readonly responseModel: string | undefined;
  /**
   * A source that records the same sets again and again (a Realtime session, every response) keeps them
   * here, frozen: @va/otel-sdk resolves a frozen set to its series once, and later records skip the hash.
   * Without it each record gets a fresh set, as a single call needs.
   */
  readonly attributeSets?: Map<string, Attributes>;
  /**
   * The call ended in an error. Its usage still counts (tokens a failed stream did use), but the 2026
   * conventions' per-call token histograms leave failed calls out.
   */
  readonly failed?: boolean;
}

/** The set for `key`: the source's kept one, else built (and kept, frozen, when the source keeps sets). */
export function setOf(source: UsageSource, key: string, build: () => Attributes): Attributes {
  const kept = source.attributeSets?.get(key);
  if (kept !== undefined) return kept;
  const built = build();
  if (source.attributeSets !== undefined) source.attributeSets.set(key, Object.freeze(built));
  return built;
}

/** `attributes` with `gen_ai.token.modality`, or as they are for an unsplit count. */
export function withModality(attributes: Attributes, modality: string | undefined): Attributes {
  return modality === undefined ? attributes : withAttribute(attributes, 'gen_ai.token.modality', modality);
}
