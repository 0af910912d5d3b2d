// Builders for the points a test expects, where the same metric stands once per token type.
import { expect } from 'vitest';

/** A histogram point whose count is exact and whose sum, a duration, is any number. */
export function timed(count: number): { count: number; sum: unknown } {
  return { count, sum: expect.any(Number) };
}

/** The metric's two points, input then output: each the attributes with its `gen_ai.token.type`. */
export function perTokenType(
  name: string,
  attributes: Record<string, unknown>,
  values: { input: Record<string, unknown>; output: Record<string, unknown> },
): Record<string, unknown>[] {
  return (['input', 'output'] as const).map((type) => ({
    name,
    attributes: { ...attributes, 'gen_ai.token.type': type },
    ...values[type],
  }));
}
