import { constants } from 'node:perf_hooks';

/**
 * V8's young-generation mark-sweep (`--minor-ms`). Node 22 names it
 * NODE_PERFORMANCE_GC_MINOR_MARK_SWEEP; Node 20 does not, hence the number from V8's GCType enum.
 */
const MINOR_MARK_SWEEP = 2;

const GC_TYPES: ReadonlyMap<number, string> = new Map([
  [constants.NODE_PERFORMANCE_GC_MAJOR, 'major'],
  [constants.NODE_PERFORMANCE_GC_MINOR, 'minor'],
  [MINOR_MARK_SWEEP, 'minor'],
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL, 'incremental'],
  [constants.NODE_PERFORMANCE_GC_WEAKCB, 'weakcb'],
]);

/**
 * The `v8js.gc.type` of a GC entry's `detail.kind`, by the conventions' values
 * (https://opentelemetry.io/docs/specs/semconv/runtime/v8js-metrics/); undefined for a kind
 * they do not name.
 */
export function gcTypeOf(kind: number): string | undefined {
  return GC_TYPES.get(kind);
}
