import type { Attributes } from '@opentelemetry/api';
import type { Point } from './metrics.js';

export interface Series {
  readonly attributes: Attributes;
  readonly count: number;
}

function keyOf(attributes: Attributes): string {
  return JSON.stringify(Object.entries(attributes).sort(([a], [b]) => a.localeCompare(b)));
}

/** Histogram points as label sets and counts, in a stable order, for exact comparisons. */
export function series(points: readonly Point[]): Series[] {
  return sorted(points.map((point) => ({ attributes: point.attributes, count: point.count ?? 0 })));
}

export function sorted(expected: readonly Series[]): Series[] {
  return [...expected].sort((a, b) => keyOf(a.attributes).localeCompare(keyOf(b.attributes)));
}
