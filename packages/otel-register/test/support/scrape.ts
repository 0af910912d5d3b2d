import { httpGet } from './child-app.js';
import { parseExposition, type Sample, samplesOf, withoutScope } from './exposition.js';

export async function scrape(metricsPort: number): Promise<Sample[]> {
  const { status, body } = await httpGet(`http://127.0.0.1:${metricsPort}/metrics`);
  if (status !== 200) throw new Error(`scrape answered ${status}: ${body}`);
  return parseExposition(body);
}

/** `{ labels, value }` of every sample of a name, scope labels left out, sorted for stable comparison. */
export function seriesOf(
  samples: readonly Sample[],
  name: string,
): Array<{ labels: Record<string, string>; value: number }> {
  return samplesOf(samples, name)
    .map((sample) => ({ labels: withoutScope(sample.labels), value: sample.value }))
    .sort((a, b) => JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels)));
}
