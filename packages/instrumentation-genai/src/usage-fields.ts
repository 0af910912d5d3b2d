/**
 * Readers for a provider's usage object as it came over the wire, whatever its shape: a field that is
 * missing, null or of another type reads as undefined, never as a wrong count.
 */

/** A token count: a finite number >= 0, else undefined. */
export function tokenCountOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** `value[key]` when `value` is an object, else undefined. */
export function fieldOf(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

/** True for an object a field can be read from (a parsed result, a streamed event). */
export function isFields(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}

/** The `model` a result or event names, when it is a string. */
export function modelFieldOf(value: unknown): string | undefined {
  const model = fieldOf(value, 'model');
  return typeof model === 'string' ? model : undefined;
}
