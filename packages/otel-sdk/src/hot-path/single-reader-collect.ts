// sdk-metrics collects a synchronous instrument in one synchronous pass, a block of the event loop as
// long as the number of series that changed. In that pass TemporalMetricProcessor keeps what was collected
// for each registered reader (a "stash" per reader) and, before using it, merges the reader's stashes into
// a new map, entry by entry in JavaScript (a generator, then has() and set() per series). With a single
// reader there is one stash, and that merge is a copy: ≈ 2 of the 7–9 ms the SDK's pass takes for 10,000
// changed histogram series on our machine (5.3–6.1 ms without it), ≈ 10 ms of ≈ 43 ms at 50,000.
//
// We make that copy with the Map constructor instead: a new map of the same class, the same entries in the
// same order, as the merge would give. It is still a copy, so nothing depends on who else holds the
// stash. A stream two readers share (a synchronous instrument under Prometheus and OTLP, say) takes the
// SDK's own path; an observable instrument has a stream per reader, so each takes the copy.
//
// The SDK has no hook for this: we replace a private method of TemporalMetricProcessor's prototype, after
// checking that it behaves as the SDK we were written against does (below), and every call checks the
// shapes it relies on before it takes the shortcut; anything unexpected takes the SDK's own path.
import { diag } from '@opentelemetry/api';
import * as hashMapModule from '@opentelemetry/sdk-metrics/build/src/state/HashMap.js';
import * as processorModule from '@opentelemetry/sdk-metrics/build/src/state/TemporalMetricProcessor.js';
import { commonJsExports } from './commonjs-exports.js';

/** The parts of sdk-metrics' AttributeHashMap the copy relies on. */
interface HashMapInternals {
  _valueMap: unknown;
  _keyMap: unknown;
  entries(): IterableIterator<[unknown, unknown, string]>;
  set(key: unknown, value: unknown): void;
}
type HashMapClass = new () => HashMapInternals;

/** The parts of TemporalMetricProcessor the shortcut relies on. */
interface ProcessorInternals {
  _unreportedAccumulations: unknown;
  _stashAccumulations(accumulations: HashMapInternals): void;
}
type MergeMethod = (this: ProcessorInternals, collector: unknown) => HashMapInternals;
type ProcessorClass = (new (
  aggregator: unknown,
  collectorHandles: unknown[],
) => ProcessorInternals) & { prototype: { _getMergedUnreportedAccumulations?: MergeMethod } };

/** Marks our method, so a second start (or a second copy of this package) does not wrap twice. */
const SHORTCUT = Symbol.for('@va/otel-sdk.single-reader-collect');
type MarkedMerge = MergeMethod & { [SHORTCUT]?: MergeMethod };

/** One export of one of sdk-metrics' internal modules. */
function exportOf<T>(namespace: unknown, name: string): T | undefined {
  return commonJsExports<Record<string, T>>(namespace)?.[name];
}

function copyOf(stash: unknown, HashMap: HashMapClass): HashMapInternals | undefined {
  if (!(stash instanceof HashMap)) return undefined;
  const { _valueMap: values, _keyMap: keys } = stash;
  if (!(values instanceof Map) || !(keys instanceof Map)) return undefined;
  const copy = new HashMap();
  if (!(copy._valueMap instanceof Map) || !(copy._keyMap instanceof Map)) return undefined;
  copy._valueMap = new Map(values);
  copy._keyMap = new Map(keys);
  return copy;
}

/**
 * What the SDK's merge must give for one reader with one stash, checked before we replace it: a new map of
 * the same class with the same entries, and the reader's stashes emptied.
 */
function behavesAsExpected(Processor: ProcessorClass, HashMap: HashMapClass, merge: MergeMethod): boolean {
  try {
    const reader = {};
    const processor = new Processor({}, [reader]);
    const stashes = processor._unreportedAccumulations;
    if (!(stashes instanceof Map) || stashes.size !== 1) return false;
    const stash = new HashMap();
    stash.set({ route: '/a' }, 'first');
    stash.set({ route: '/b', status: 200 }, 'second');
    processor._stashAccumulations(stash);
    const merged = merge.call(processor, reader);
    const copy = copyOf(stash, HashMap);
    return (
      merged instanceof HashMap &&
      merged !== stash &&
      copy !== undefined &&
      JSON.stringify([...merged.entries()]) === JSON.stringify([...stash.entries()]) &&
      JSON.stringify([...copy.entries()]) === JSON.stringify([...stash.entries()]) &&
      Array.isArray(stashes.get(reader)) &&
      (stashes.get(reader) as unknown[]).length === 0
    );
  } catch {
    return false;
  }
}

export type SingleReaderCollectState = 'installed' | 'already-installed' | 'unavailable';

/**
 * Replaces sdk-metrics' merge of a single reader's collection with a copy by the Map constructor. Returns
 * what happened; never throws.
 */
export function shortenSingleReaderCollect(): SingleReaderCollectState {
  try {
    const Processor = exportOf<ProcessorClass>(processorModule, 'TemporalMetricProcessor');
    const HashMap = exportOf<HashMapClass>(hashMapModule, 'AttributeHashMap');
    const prototype = Processor?.prototype;
    const original = prototype?._getMergedUnreportedAccumulations as MarkedMerge | undefined;
    if (Processor === undefined || HashMap === undefined || prototype === undefined)
      return unavailable('no TemporalMetricProcessor or AttributeHashMap');
    if (typeof original !== 'function') return unavailable('no _getMergedUnreportedAccumulations');
    if (original[SHORTCUT] !== undefined) return 'already-installed';
    if (!behavesAsExpected(Processor, HashMap, original)) return unavailable('the merge behaves differently');

    const shortened: MarkedMerge = function (this: ProcessorInternals, collector) {
      const stashes = this._unreportedAccumulations;
      if (stashes instanceof Map && stashes.size === 1) {
        const stash = stashes.get(collector) as unknown;
        if (Array.isArray(stash) && stash.length === 1) {
          const copy = copyOf(stash[0], HashMap);
          if (copy !== undefined) {
            stashes.set(collector, []);
            return copy;
          }
        }
      }
      return original.call(this, collector);
    };
    shortened[SHORTCUT] = original;
    prototype._getMergedUnreportedAccumulations = shortened;
    return 'installed';
  } catch (error) {
    return unavailable(String(error));
  }
}

function unavailable(why: string): SingleReaderCollectState {
  diag.debug(`@va/otel-sdk: collections take the SDK's own merge (${why}).`);
  return 'unavailable';
}

/** Puts the SDK's own merge back (tests, and the opt-out). */
export function restoreSingleReaderCollect(): void {
  const prototype = exportOf<ProcessorClass>(processorModule, 'TemporalMetricProcessor')?.prototype;
  const current = prototype?._getMergedUnreportedAccumulations as MarkedMerge | undefined;
  if (prototype !== undefined && current?.[SHORTCUT] !== undefined) {
    prototype._getMergedUnreportedAccumulations = current[SHORTCUT];
  }
}
