// The one hook between the bridge and other processes: the bridge's collect step, plus whatever a merge
// source adds (a cluster primary's workers). The serializer still gets one ResourceMetrics and never learns
// where its parts came from.

import { diag } from '@opentelemetry/api';
import type { CollectionResult } from '@opentelemetry/sdk-metrics';
import { type MetricsSource, mergeMetricsSteps } from './merge-metrics.js';
import { runSliced } from './sliced-work.js';
import { WarnOnce } from './warn-once.js';

const diagLogger = diag.createComponentLogger({ namespace: '@va/prometheus-bridge' });

/**
 * Collections of other processes to merge into a scrape, after the bridge's own (which counts as live,
 * with this process's pid). Resolves `undefined` when there are no other processes: the scrape is then
 * exactly the bridge's own collection. `[]` (other processes, none with data this time) still merges, so
 * the gauges keep their `process.pid` label from scrape to scrape.
 */
export type MergeSource = () => Promise<readonly MetricsSource[] | undefined>;

// Merge warnings repeat on every scrape; each is logged once per process.
const warnings = new WarnOnce();

/**
 * Runs the bridge's own collection and the merge source side by side and merges the two, in slices of
 * `sliceMillis`. A failing merge source costs the other processes' data for one scrape, never the scrape.
 */
export async function collectMerged(
  collectOwn: () => Promise<CollectionResult>,
  source: MergeSource | undefined,
  sliceMillis: number,
  pid: number = process.pid,
): Promise<CollectionResult> {
  if (source === undefined) return collectOwn();
  const others = Promise.resolve()
    .then(source)
    .catch((error: unknown) => {
      diagLogger.error(
        'could not collect the metrics of other processes; this scrape has only its own',
        error,
      );
      return undefined;
    });
  const own = await collectOwn();
  const extra = await others;
  if (extra === undefined) return own;
  try {
    const merged = await runSliced(
      mergeMetricsSteps([{ pid, live: true, scopeMetrics: own.resourceMetrics.scopeMetrics }, ...extra]),
      sliceMillis,
    );
    for (const { key, message } of merged.warnings) warnings.warn(key, message);
    return {
      resourceMetrics: { resource: own.resourceMetrics.resource, scopeMetrics: merged.scopeMetrics },
      errors: own.errors,
    };
  } catch (error) {
    diagLogger.error('could not merge the metrics of other processes; this scrape has only its own', error);
    return own;
  }
}
