// The attribute processor of every @va view. It does three jobs in one pass, because each needs the
// same canonical identity of the (filtered) attribute set:
// 1. the allow-list: keys outside the metric's definition are dropped, so an upstream release that
//    adds an attribute cannot multiply the series count;
// 2. interning: equal sets come out as ONE frozen object, registered in interned-attribute-sets.ts,
//    which the SDK's hash memo (attribute-hash-memo.ts) then hashes once. "Equal" is the SDK's own rule,
//    kept in @va/prometheus-bridge/attribute-sets (the one identity of attribute sets in @va), so two
//    sets the SDK counts as one series are one here, and two it tells apart are two. A frozen input is
//    mapped by identity, without even looking up its contents, which is what makes a prepared attribute
//    set cheap;
// 3. a lifetime cardinality guard: sdk-metrics 2.x applies aggregationCardinalityLimit per
//    collection cycle only, and its cumulative storage merges every cycle's new sets, so a scrape
//    every 15 s lets a million distinct model names grow memory without bound. Here a metric admits
//    `limit - 1` distinct sets for the life of the process; every later set becomes the overflow set
//    `otel.metric.overflow=true`, the same one the SDK uses, so the series count stays at the limit.
import type { Attributes, AttributeValue } from '@opentelemetry/api';
import type { IAttributesProcessor } from '@opentelemetry/sdk-metrics';
import { AttributeSetIndex } from '@va/prometheus-bridge/attribute-sets';
import { internedAttributeSets } from './interned-attribute-sets.js';

export const OVERFLOW_ATTRIBUTES: Attributes = Object.freeze({ 'otel.metric.overflow': true });

/** sdk-metrics' default aggregationCardinalityLimit. */
export const DEFAULT_CARDINALITY_LIMIT = 2000;

export interface AttributeSetInternerOptions {
  /** The keys kept; `undefined` keeps every key (no allow-list). */
  allowedKeys?: readonly string[];
  /** Series per metric, the overflow series included (the SDK's meaning of the limit). */
  cardinalityLimit?: number;
}

export interface AttributeSetInterner extends IAttributesProcessor {
  /** Distinct attribute sets admitted so far (the overflow set not counted). */
  readonly size: number;
}

function isAttributeValue(value: unknown): value is AttributeValue {
  return value !== undefined && value !== null;
}

class Interner implements AttributeSetInterner {
  private readonly _allowedKeySet: ReadonlySet<string> | undefined;
  private readonly _admit: number;
  /**
   * The interned sets by contents: the allowed keys that have a value. Unset values (undefined, null) are
   * dropped here, before the SDK sees the set, as the keys outside the allow-list are.
   */
  private readonly _sets: AttributeSetIndex<Attributes>;
  private _count = 0;
  /** Frozen inputs seen before → what they became (their set, or the overflow set). */
  private readonly _byIdentity = new WeakMap<Attributes, Attributes>();
  private readonly _interned = internedAttributeSets();

  constructor(options: AttributeSetInternerOptions) {
    this._interned.add(OVERFLOW_ATTRIBUTES);
    this._allowedKeySet = options.allowedKeys ? new Set(options.allowedKeys) : undefined;
    this._sets = new AttributeSetIndex({ names: options.allowedKeys, skipUnset: true });
    // The SDK keeps limit - 1 sets plus the overflow set; we admit the same number.
    this._admit = Math.max(1, (options.cardinalityLimit ?? DEFAULT_CARDINALITY_LIMIT) - 1);
  }

  get size(): number {
    return this._count;
  }

  process(incoming: Attributes): Attributes {
    const frozen = Object.isFrozen(incoming);
    if (frozen) {
      const known = this._byIdentity.get(incoming);
      if (known !== undefined) return known;
    }
    const result = this._intern(incoming);
    // Only a frozen input keeps mapping to the same set; a mutable one may change before next time.
    if (frozen) this._byIdentity.set(incoming, result);
    return result;
  }

  private _intern(incoming: Attributes): Attributes {
    // A lookup creates nothing: a set past the limit leaves nothing behind.
    const existing = this._sets.get(incoming);
    if (existing !== undefined) return existing;
    if (this._count >= this._admit) return OVERFLOW_ATTRIBUTES;
    // Built in the caller's key order, as the SDK's allow-list processor does: that is the label
    // order of the exposition.
    const allowed = this._allowedKeySet;
    const filtered: Attributes = {};
    for (const key in incoming) {
      if (!Object.hasOwn(incoming, key) || (allowed !== undefined && !allowed.has(key))) continue;
      const value = incoming[key];
      if (!isAttributeValue(value)) continue;
      // Arrays are copied and frozen too: the interned set must not change behind the SDK's memo.
      filtered[key] = Array.isArray(value) ? (Object.freeze([...value]) as AttributeValue) : value;
    }
    Object.freeze(filtered);
    this._interned.add(filtered);
    this._sets.add(filtered, filtered);
    this._count++;
    return filtered;
  }
}

export function createAttributeSetInterner(options: AttributeSetInternerOptions = {}): AttributeSetInterner {
  return new Interner(options);
}
