// sdk-metrics identifies a series by hashing its attribute set on EVERY record(): it sorts the keys
// and JSON-stringifies the pairs (utils.hashAttributes), ≈1.2 µs for five attributes, which is
// 95 % of what a record() costs. A frozen attribute set whose values are primitives cannot change,
// so its hash can be computed once and remembered. Our attribute processor (attribute-set-interner)
// hands the SDK such frozen sets, so every record() after the first for a series skips the hash.
//
// The SDK has no public hook for this: we replace `hashAttributes` on the module's exports object,
// which is where AttributeHashMap reads it each time a map is created. Node loads the CommonJS build
// of sdk-metrics for both require and import (the package has no "exports" map), so there is one
// copy to patch. Anything unexpected (a bundled ESM copy, a future refactor) leaves the SDK as it is.
import type { Attributes } from '@opentelemetry/api';
import { diag } from '@opentelemetry/api';
import * as sdkMetricsUtils from '@opentelemetry/sdk-metrics/build/src/utils.js';
import { commonJsExports } from './commonjs-exports.js';

type HashAttributes = (attributes: Attributes) => string;
interface UtilsExports {
  hashAttributes?: HashAttributes;
}

/** Marks our wrapper, so a second SDK start (or a second copy of this package) does not wrap twice. */
const MEMOISED = Symbol.for('@va/otel-sdk.memoised-hash-attributes');
type MarkedHash = HashAttributes & { [MEMOISED]?: HashAttributes };

/** The exports object of sdk-metrics' utils module, where AttributeHashMap reads the hash. */
function utilsExports(): UtilsExports | undefined {
  return commonJsExports<UtilsExports>(sdkMetricsUtils);
}

function isPrimitive(value: unknown): boolean {
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean';
}

/** Frozen, and nothing inside can change either: primitives, or frozen arrays of primitives. */
function isImmutable(attributes: Attributes): boolean {
  for (const key in attributes) {
    const value = attributes[key];
    if (isPrimitive(value)) continue;
    if (Array.isArray(value) && Object.isFrozen(value) && value.every(isPrimitive)) continue;
    return false;
  }
  return true;
}

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
 * Wraps sdk-metrics' attribute hash with a memo for frozen attribute sets. Returns what happened;
 * never throws. Maps the SDK created before this call keep the plain hash (correct, just slower).
 */
export function memoiseAttributeHashes(): HashMemoState {
  try {
    const exportsObject = utilsExports();
    const original = exportsObject?.hashAttributes as MarkedHash | undefined;
    if (exportsObject === undefined || typeof original !== 'function')
      return unavailable('no hashAttributes');
    if (original[MEMOISED] !== undefined) return 'already-installed';
    if (!behavesAsExpected(original)) return unavailable('hashAttributes behaves differently');

    const memo = new WeakMap<Attributes, string>();
    const memoised: MarkedHash = (attributes) => {
      if (!Object.isFrozen(attributes)) return original(attributes);
      let hash = memo.get(attributes);
      if (hash === undefined) {
        hash = original(attributes);
        if (isImmutable(attributes)) memo.set(attributes, hash);
      }
      return hash;
    };
    memoised[MEMOISED] = original;
    exportsObject.hashAttributes = memoised;
    if (exportsObject.hashAttributes !== memoised) return unavailable('the exports object is read-only');
    return 'installed';
  } catch (error) {
    return unavailable(String(error));
  }
}

function unavailable(why: string): HashMemoState {
  diag.debug(`@va/otel-sdk: record() runs without the attribute hash memo (${why}).`);
  return 'unavailable';
}

/** Puts the SDK's own hash back (tests, and the opt-out). */
export function restoreAttributeHashes(): void {
  const exportsObject = utilsExports();
  const current = exportsObject?.hashAttributes as MarkedHash | undefined;
  if (exportsObject !== undefined && current?.[MEMOISED] !== undefined) {
    exportsObject.hashAttributes = current[MEMOISED];
  }
}
