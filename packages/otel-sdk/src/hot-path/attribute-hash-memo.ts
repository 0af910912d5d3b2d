// sdk-metrics identifies a series by hashing its attribute set on every record(): it sorts the keys and
// JSON-stringifies the pairs (utils.hashAttributes), most of what a record() costs. The sets our interner
// hands the SDK are frozen and never change, so their hash can be computed once and remembered.
//
// The SDK has no hook for this: we replace `hashAttributes` on the utils module's exports object, where
// AttributeHashMap reads it each time a map is created. Every MeterProvider on that sdk-metrics copy reads
// it there, a user's included, so the replacement answers from its memo only for the sets our interner
// produced (interned-attribute-sets.ts) and calls the SDK's own function for every other input. When the
// SDK's shape is not the one this was written against, the memo stays off, with one warning, and the SDK
// runs as it ships.
//
// The memo is keyed by the interned object, not by the set's contents: the interner has already found the
// set by contents (@va/prometheus-bridge/attribute-sets, the SDK's own rule), and its one object per set
// is the key. A lookup by contents would answer for objects the interner never saw, the inputs the memo
// must leave to the SDK. The hash itself stays the SDK's: the memo remembers what the SDK's own function
// returned, so the SDK's maps see exactly the text they would have computed.
import type { Attributes } from '@opentelemetry/api';
import { createLogOnce } from '@va/instrumentation-base/diagnostics';
import { internedAttributeSets } from './interned-attribute-sets.js';
import { loadSdkMetricsUtils, SDK_METRICS_UTILS, type SdkMetricsUtilsLoader } from './sdk-metrics-utils.js';

type HashAttributes = (attributes: Attributes) => string;
interface UtilsExports {
  hashAttributes?: unknown;
}

/** Marks our wrapper, so a second SDK start (or a second copy of this package) does not wrap twice. */
const MEMOISED = Symbol.for('@va/otel-sdk.memoised-hash-attributes');
type MarkedHash = HashAttributes & { [MEMOISED]?: HashAttributes };

/** What hashAttributes must return, checked before we wrap it: a different shape means a different SDK. */
function behavesAsExpected(hash: HashAttributes): boolean {
  try {
    return hash({ b: 1, a: 'x' }) === '[["a","x"],["b",1]]' && hash({}) === '';
  } catch {
    return false;
  }
}

export type HashMemoState = 'installed' | 'already-installed' | 'unavailable';

/**
 * Wraps sdk-metrics' attribute hash with a memo for the sets our interner produced. Returns what
 * happened; never throws. Maps the SDK created before this call keep the plain hash (correct, just
 * slower). `load` finds the SDK's utils module; tests pass their own.
 */
export function memoiseAttributeHashes(load: SdkMetricsUtilsLoader = loadSdkMetricsUtils): HashMemoState {
  let utils: UtilsExports;
  try {
    utils = load() as UtilsExports;
  } catch (error) {
    return switchOff(`${SDK_METRICS_UTILS} could not be loaded (${firstLineOf(error)})`);
  }
  try {
    const original = (typeof utils === 'object' && utils !== null ? utils.hashAttributes : undefined) as
      | MarkedHash
      | undefined;
    if (typeof original !== 'function')
      return switchOff(`${SDK_METRICS_UTILS} has no hashAttributes function`);
    if (original[MEMOISED] !== undefined) return 'already-installed';
    if (!behavesAsExpected(original)) {
      return switchOff(`hashAttributes of ${SDK_METRICS_UTILS} does not hash as the memo expects`);
    }

    const interned = internedAttributeSets();
    const memo = new WeakMap<Attributes, string>();
    const memoised: MarkedHash = (attributes) => {
      const known = memo.get(attributes);
      if (known !== undefined) return known;
      const hash = original(attributes);
      if (interned.has(attributes)) memo.set(attributes, hash);
      return hash;
    };
    memoised[MEMOISED] = original;
    try {
      utils.hashAttributes = memoised;
    } catch {
      // A frozen object or a getter-only export throws in strict mode; the check below says so.
    }
    if (utils.hashAttributes !== memoised)
      return switchOff(`the exports of ${SDK_METRICS_UTILS} are read-only`);
    return 'installed';
  } catch (error) {
    return switchOff(`installing it threw (${firstLineOf(error)})`);
  }
}

/** One warning per reason in this process, however often start() runs. */
const warnOnce = createLogOnce('warn');

function switchOff(reason: string): HashMemoState {
  warnOnce(
    reason,
    `@va/otel-sdk: the attribute hash memo is off: ${reason}. record() takes sdk-metrics' own attribute hash on every call (a key sort and JSON.stringify each time) instead of once per attribute set; the metrics are the same.`,
  );
  return 'unavailable';
}

/** A MODULE_NOT_FOUND message goes on with the whole require stack; its first line says what failed. */
function firstLineOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n', 1)[0] ?? message;
}

/** Puts the SDK's own hash back (tests). Never throws. */
export function restoreAttributeHashes(load: SdkMetricsUtilsLoader = loadSdkMetricsUtils): void {
  try {
    const utils = load() as UtilsExports;
    const current = utils.hashAttributes as MarkedHash | undefined;
    if (current?.[MEMOISED] !== undefined) utils.hashAttributes = current[MEMOISED];
  } catch {
    // Nothing was installed where nothing could be loaded.
  }
}
