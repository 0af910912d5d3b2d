import type { Attributes } from '@opentelemetry/api';
import { HTTP_CLIENT_REQUEST_DURATION } from '@va/semconv';
import type { TestMetrics } from '@va/test-metrics';

export interface ClientPoint {
  readonly attributes: Attributes;
  readonly count: number;
  readonly sum: number;
}

/** Every point of the client duration histogram, in a stable order (by attributes). */
export async function clientPoints(metrics: TestMetrics): Promise<ClientPoint[]> {
  const points = await metrics.points(HTTP_CLIENT_REQUEST_DURATION.name);
  return points
    .map((point) => ({ attributes: point.attributes, count: point.count ?? 0, sum: point.sum ?? 0 }))
    .sort((a, b) => orderKey(a.attributes).localeCompare(orderKey(b.attributes)));
}

/** Attributes and counts only, for exact comparison with toEqual. */
export async function clientCounts(
  metrics: TestMetrics,
): Promise<{ attributes: Attributes; count: number }[]> {
  return (await clientPoints(metrics)).map(({ attributes, count }) => ({ attributes, count }));
}

function orderKey(attributes: Attributes): string {
  return JSON.stringify(Object.entries(attributes).sort(([a], [b]) => a.localeCompare(b)));
}

/** The same order clientPoints and clientCounts use, for the expected side of a comparison. */
export function sortedByAttributes<T extends { attributes: Attributes }>(points: readonly T[]): T[] {
  return [...points].sort((a, b) => orderKey(a.attributes).localeCompare(orderKey(b.attributes)));
}
