import { httpGet } from './child-app.js';
import { parseExposition, type Sample, samplesOf, withoutScope } from './exposition.js';

export async function scrape(metricsPort: number): Promise<Sample[]> {
  const { status, body } = await httpGet(`http://127.0.0.1:${metricsPort}/metrics`);
  if (status !== 200) throw new Error(`scrape answered ${status}: ${body}`);
  return parseExposition(body);
}

export interface Series {
  labels: Record<string, string>;
  value: number;
}

/** Orders series by their label sets (keys sorted), so two lists compare equal whatever order they came in. */
export function sortSeries(series: readonly Series[]): Series[] {
  const key = (labels: Record<string, string>): string => JSON.stringify(Object.entries(labels).sort());
  return [...series].sort((a, b) => key(a.labels).localeCompare(key(b.labels)));
}

/** `{ labels, value }` of every sample of a name, scope labels left out, in the order /metrics lists them. */
export function exposedSeries(samples: readonly Sample[], name: string): Series[] {
  return samplesOf(samples, name).map((sample) => ({
    labels: withoutScope(sample.labels),
    value: sample.value,
  }));
}

/** `{ labels, value }` of every sample of a name, scope labels left out, in a canonical order. */
export function seriesOf(samples: readonly Sample[], name: string): Series[] {
  return sortSeries(exposedSeries(samples, name));
}
