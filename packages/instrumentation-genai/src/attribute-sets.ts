import type { Attributes } from '@opentelemetry/api';

/** A copy of `attributes`, never the same object: the SDK may keep the set it was given as a series key. */
export function copyOf(attributes: Attributes): Attributes {
  const copy: Attributes = {};
  for (const name in attributes) copy[name] = attributes[name];
  return copy;
}

/**
 * A copy of `attributes` with one more. A loop, not a spread: V8 spreads a set that gained a property after
 * its literal (as the call's set gains `gen_ai.response.model`) several times slower than it copies it in a
 * loop (docs/benchmarks.md, LLM calls).
 */
export function withAttribute(attributes: Attributes, key: string, value: string): Attributes {
  const copy = copyOf(attributes);
  copy[key] = value;
  return copy;
}
