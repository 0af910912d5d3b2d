// The one identity of attribute sets in @va: which attribute sets are the same series. The bridge's
// cumulative store and cluster merge use it here; @va/otel-sdk's attribute set interner imports it through
// the package's `@va/prometheus-bridge/attribute-sets` entry.
//
// The rule is the SDK's: sdk-metrics aggregates by utils.hashAttributes, the names sorted and the
// [name, value] pairs JSON-stringified, and two sets are the same here exactly when that text is the same,
// so the store keeps the series the SDK keeps and the interner never counts as two what the SDK counts as
// one. Spelled out:
// - the names are the object's own enumerable string keys (Object.keys); their order does not count;
// - a string, a boolean and a finite number are themselves: `1`, `'1'` and `true` are three values, `0`
//   and `-0` one;
// - an array (or any other object) is its JSON text, which no string equals: `['x']` is not `'["x"]'`, and
//   `[1]` is not `['1']`;
// - undefined, null, NaN and ±Infinity are JSON's null: `{ a: undefined }` is `{ a: null }`, and neither
//   is `{}` (the name is there, with no value);
// - `{}` is a set like any other.
// An index may count only some names (an allow-list) and may skip names without a value (undefined or
// null): the set is then the part of the object those names make, under the same rule.
//
// How: a tree of Maps, one level per name in sorted order, instead of a key string per set. A bare SDK fed
// a fresh attributes object on every record() (what upstream instrumentations do) hands the bridge a new
// object for every series in every collection, and the interner sees one on every record(); building the
// SDK's text for each costs a sort, a serialization and hashing the new string. The tree looks up strings
// the application usually already holds (their hash is cached in the string) and numbers. The price is
// memory: the tree holds more per set than key strings would.

import type { Attributes } from '@opentelemetry/api';

/** A value as a Map key: the value itself, or `null` for every value JSON writes as null. */
type Plain = string | number | boolean | null;

/** One step of the tree: what is stored for the set ending here, and the names that follow. */
class Node<T> {
  stored: T | undefined = undefined;
  // The sets of one metric usually have the same names in the same order: the name that followed first is
  // compared, not looked up. Others (a set with one more attribute, say) go by name.
  name: string | undefined = undefined;
  values: Map<Plain, Node<T>> | undefined = undefined;
  others: Map<string, Map<Plain, Node<T>>> | undefined = undefined;
  /** Arrays and other objects, by name and then by JSON text: apart from strings that look the same. */
  structured: Map<string, Map<string, Node<T>>> | undefined = undefined;

  valuesOf(name: string): Map<Plain, Node<T>> | undefined {
    return this.name === name ? this.values : this.others?.get(name);
  }

  addValuesOf(name: string): Map<Plain, Node<T>> {
    const values = new Map<Plain, Node<T>>();
    if (this.name === undefined) {
      this.name = name;
      this.values = values;
    } else {
      this.others ??= new Map();
      this.others.set(name, values);
    }
    return values;
  }

  structuredOf(name: string, create: boolean): Map<string, Node<T>> | undefined {
    let values = this.structured?.get(name);
    if (values === undefined && create) {
      this.structured ??= new Map();
      values = new Map();
      this.structured.set(name, values);
    }
    return values;
  }
}

export interface AttributeSetIndexOptions {
  /** Only these names count (an allow-list); by default every name does. */
  readonly names?: readonly string[];
  /**
   * `true`: a name whose value is undefined or null does not count, as if it were absent. By default it
   * counts, as it does for the SDK. For a processor that removes such names before the SDK sees the set.
   */
  readonly skipUnset?: boolean;
}

/** What is stored for each attribute set, found by the set's contents (the rule at the top of this file). */
export class AttributeSetIndex<T> {
  private readonly _root = new Node<T>();
  /** The allow-list, sorted as the SDK sorts names. */
  private readonly _sortedNames: readonly string[] | undefined;
  private readonly _allowed: ReadonlySet<string> | undefined;
  private readonly _skipUnset: boolean;

  constructor(options: AttributeSetIndexOptions = {}) {
    this._allowed = options.names === undefined ? undefined : new Set(options.names);
    this._sortedNames = this._allowed === undefined ? undefined : [...this._allowed].sort();
    this._skipUnset = options.skipUnset === true;
  }

  get(attributes: Attributes): T | undefined {
    // Every set is stored under its names in sorted order. Sorting them means an array per lookup (a
    // third of the time on fresh objects), so the walk first follows the names the tree expects and then
    // counts the set's names: as many as the path matched, and the path's set is this one. Only strings,
    // booleans and finite numbers are followed, none of which an object inherits from Object.prototype.
    const prototype = Object.getPrototypeOf(attributes) as unknown;
    if (prototype !== Object.prototype && prototype !== null) return this._path(attributes, false)?.stored;
    let node = this._root;
    let matched = 0;
    for (let name = node.name; name !== undefined; name = node.name) {
      const value = attributes[name];
      const next = isPlain(value) ? node.values?.get(value) : undefined;
      if (next === undefined) break;
      node = next;
      matched++;
    }
    if (node.stored !== undefined && this._count(attributes) === matched) return node.stored;
    // A set that leaves the tree's usual names (one more attribute, one fewer), has a value of another
    // kind, or is new.
    return this._path(attributes, false)?.stored;
  }

  /** Stores `stored` for the set, in place of what was stored for it. */
  add(attributes: Attributes, stored: T): void {
    this._path(attributes, true).stored = stored;
  }

  /** How many of the object's names count, as the fast walk of {@link get} reads them. */
  private _count(attributes: Attributes): number {
    const allowed = this._allowed;
    const skipUnset = this._skipUnset;
    let count = 0;
    for (const name in attributes) {
      if (allowed !== undefined && !allowed.has(name)) continue;
      if (skipUnset && (attributes[name] === undefined || attributes[name] === null)) continue;
      count++;
    }
    return count;
  }

  /** The names of the set, sorted. */
  private _names(attributes: Attributes): string[] {
    const skipUnset = this._skipUnset;
    const names: string[] = [];
    if (this._sortedNames !== undefined) {
      for (const name of this._sortedNames) {
        if (!Object.prototype.propertyIsEnumerable.call(attributes, name)) continue;
        if (skipUnset && (attributes[name] === undefined || attributes[name] === null)) continue;
        names.push(name);
      }
      return names;
    }
    for (const name of Object.keys(attributes)) {
      if (skipUnset && (attributes[name] === undefined || attributes[name] === null)) continue;
      names.push(name);
    }
    return names.sort();
  }

  /** The node at the end of the set's path; with `create` false, `undefined` if there is none. */
  private _path(attributes: Attributes, create: true): Node<T>;
  private _path(attributes: Attributes, create: false): Node<T> | undefined;
  private _path(attributes: Attributes, create: boolean): Node<T> | undefined {
    let node = this._root;
    for (const name of this._names(attributes)) {
      const value: unknown = attributes[name];
      const plain = plainKey(value);
      let next: Node<T> | undefined;
      if (plain !== undefined) {
        let values = node.valuesOf(name);
        if (values === undefined) {
          if (!create) return undefined;
          values = node.addValuesOf(name);
        }
        next = values.get(plain);
        if (next === undefined) {
          if (!create) return undefined;
          next = new Node<T>();
          values.set(plain, next);
        }
      } else {
        const values = node.structuredOf(name, create);
        if (values === undefined) return undefined;
        const text = JSON.stringify(value);
        next = values.get(text);
        if (next === undefined) {
          if (!create) return undefined;
          next = new Node<T>();
          values.set(text, next);
        }
      }
      node = next;
    }
    return node;
  }
}

/** A string, a boolean or a finite number: a value that is its own key. */
function isPlain(value: unknown): value is string | number | boolean {
  const type = typeof value;
  return type === 'string' || type === 'boolean' || (type === 'number' && Number.isFinite(value));
}

/** The Map key of a value, or `undefined` for an array or another object (keyed by its JSON text). */
function plainKey(value: unknown): Plain | undefined {
  if (isPlain(value)) return value;
  // What JSON writes as null inside the SDK's array of pairs: undefined, null, NaN, ±Infinity, functions.
  if (typeof value !== 'object' || value === null) return null;
  return undefined;
}
