// The attribute processor of every @va view. It does three jobs in one pass, because each needs the
// same canonical identity of the (filtered) attribute set:
// 1. the allow-list: keys outside the metric's definition are dropped, so an upstream release that
//    adds an attribute cannot multiply the series count;
// 2. interning: equal sets come out as ONE frozen object, registered in interned-attribute-sets.ts,
//    which the SDK's hash memo (attribute-hash-memo.ts) then hashes once; a frozen input is mapped by
//    identity, without even building its key, which is what makes a prepared attribute set cheap;
// 3. a lifetime cardinality guard: sdk-metrics 2.x applies aggregationCardinalityLimit per
//    collection cycle only, and its cumulative storage merges every cycle's new sets, so a scrape
//    every 15 s lets a million distinct model names grow memory without bound. Here a metric admits
//    `limit - 1` distinct sets for the life of the process; every later set becomes the overflow set
//    `otel.metric.overflow=true`, the same one the SDK uses, so the series count stays at the limit.
import type { Attributes, AttributeValue } from '@opentelemetry/api';
import type { IAttributesProcessor } from '@opentelemetry/sdk-metrics';
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

/**
 * The interned sets live in a trie keyed by the set's (key, value) pairs in sorted key order: one
 * Map lookup per key and per value, and no string built per record(): building a canonical string key,
 * as the SDK's hash does, is the cost this path exists to avoid. Map keys compare by SameValueZero, so
 * `1`, `'1'` and `true` stay distinct, as the SDK's JSON hash keeps them. Array values, rare, go through
 * their JSON text in a branch of their own, so no string value can be mistaken for one.
 */
type TrieNode = Map<unknown, TrieNode | Attributes>;
const INTERNED = Symbol('interned set');
const ARRAY_VALUES = Symbol('array values');

function isAttributeValue(value: unknown): value is AttributeValue {
  return value !== undefined && value !== null;
}

class Interner implements AttributeSetInterner {
  private readonly sortedAllowedKeys: readonly string[] | undefined;
  private readonly allowedKeySet: ReadonlySet<string> | undefined;
  private readonly admit: number;
  private readonly root: TrieNode = new Map();
  private count = 0;
  /** Frozen inputs seen before → what they became (their set, or the overflow set). */
  private readonly byIdentity = new WeakMap<Attributes, Attributes>();
  private readonly interned = internedAttributeSets();

  constructor(options: AttributeSetInternerOptions) {
    this.interned.add(OVERFLOW_ATTRIBUTES);
    this.sortedAllowedKeys = options.allowedKeys ? [...new Set(options.allowedKeys)].sort() : undefined;
    this.allowedKeySet = options.allowedKeys ? new Set(options.allowedKeys) : undefined;
    // The SDK keeps limit - 1 sets plus the overflow set; we admit the same number.
    this.admit = Math.max(1, (options.cardinalityLimit ?? DEFAULT_CARDINALITY_LIMIT) - 1);
  }

  get size(): number {
    return this.count;
  }

  process(incoming: Attributes): Attributes {
    const frozen = Object.isFrozen(incoming);
    if (frozen) {
      const known = this.byIdentity.get(incoming);
      if (known !== undefined) return known;
    }
    const result = this.intern(incoming);
    // Only a frozen input keeps mapping to the same set; a mutable one may change before next time.
    if (frozen) this.byIdentity.set(incoming, result);
    return result;
  }

  private intern(incoming: Attributes): Attributes {
    const allowList = this.sortedAllowedKeys;
    const keys = allowList ?? Object.keys(incoming).sort();
    // Walk without creating anything: a set past the limit must not leave nodes behind.
    let node: TrieNode | undefined = this.root;
    for (let index = 0; index < keys.length && node !== undefined; index++) {
      const key = keys[index] as string;
      const value = incoming[key];
      if (!isAttributeValue(value) || !Object.hasOwn(incoming, key)) continue;
      const keyNode: TrieNode | undefined = child(node, allowList === undefined ? key : index);
      node = keyNode === undefined ? undefined : child(keyNode, valueKey(value), value);
    }
    const existing = node?.get(INTERNED) as Attributes | undefined;
    if (existing !== undefined) return existing;
    if (this.count >= this.admit) return OVERFLOW_ATTRIBUTES;
    return this.insert(incoming, keys, allowList !== undefined);
  }

  private insert(incoming: Attributes, keys: readonly string[], byIndex: boolean): Attributes {
    let node: TrieNode = this.root;
    for (let index = 0; index < keys.length; index++) {
      const key = keys[index] as string;
      const value = incoming[key];
      if (!isAttributeValue(value) || !Object.hasOwn(incoming, key)) continue;
      node = childOrNew(childOrNew(node, byIndex ? index : key), valueKey(value), value);
    }
    // Built in the caller's key order, as the SDK's allow-list processor does: that is the label
    // order of the exposition.
    const allowed = this.allowedKeySet;
    const filtered: Attributes = {};
    for (const key in incoming) {
      if (!Object.hasOwn(incoming, key) || (allowed !== undefined && !allowed.has(key))) continue;
      const value = incoming[key];
      if (!isAttributeValue(value)) continue;
      // Arrays are copied and frozen too: the interned set must not change behind the SDK's memo.
      filtered[key] = Array.isArray(value) ? (Object.freeze([...value]) as AttributeValue) : value;
    }
    Object.freeze(filtered);
    this.interned.add(filtered);
    node.set(INTERNED, filtered);
    this.count++;
    return filtered;
  }
}

/** The Map key of a value: itself, or for an array its JSON text (looked up under ARRAY_VALUES). */
function valueKey(value: AttributeValue): unknown {
  return Array.isArray(value) ? JSON.stringify(value) : value;
}

function child(node: TrieNode, key: unknown, value?: AttributeValue): TrieNode | undefined {
  const branch = Array.isArray(value) ? (node.get(ARRAY_VALUES) as TrieNode | undefined) : node;
  return branch?.get(key) as TrieNode | undefined;
}

function childOrNew(node: TrieNode, key: unknown, value?: AttributeValue): TrieNode {
  let branch = node;
  if (Array.isArray(value)) {
    branch = (node.get(ARRAY_VALUES) as TrieNode | undefined) ?? new Map();
    node.set(ARRAY_VALUES, branch);
  }
  let next = branch.get(key) as TrieNode | undefined;
  if (next === undefined) {
    next = new Map();
    branch.set(key, next);
  }
  return next;
}

export function createAttributeSetInterner(options: AttributeSetInternerOptions = {}): AttributeSetInterner {
  return new Interner(options);
}
