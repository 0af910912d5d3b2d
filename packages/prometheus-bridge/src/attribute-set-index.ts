// Finds what is stored for an attribute set by its contents, without building a key string.
//
// Why: a bare SDK fed a fresh attributes object on every record() (what upstream instrumentations do)
// hands the bridge a new object for every series in every collection, so the cumulative store must find
// each series by contents. A key (sorted JSON, attributesKey()) costs a serialization plus hashing the new
// string: 7–12 ms for 10,000 four-attribute sets on our machine. Walking a tree of Maps, one level per
// attribute, looks up strings the application usually already holds (their hash is cached in the string)
// and numbers: 2.5–6 ms for the same sets, and ≈ 10 ms less per scrape of them (docs/benchmarks.md).
//
// The same sets as attributesKey(): the same names and values whatever order the names came in; unset
// values do not count; a set with a value other than a string, number or boolean (an array) is keyed by
// attributesKey() instead, in a Map of its own.

import type { Attributes } from '@opentelemetry/api';
import { attributesKey } from './cluster/merge-metrics.js';

type Primitive = string | number | boolean;

/** One step of the tree: what is stored for the set ending here, and the attributes that follow. */
class Node<T> {
  stored: T | undefined = undefined;
  // The sets of one metric usually have the same names in the same order: the name that followed first is
  // compared, not looked up. Others (a set with one more attribute, say) go by name.
  name: string | undefined = undefined;
  values: Map<Primitive, Node<T>> | undefined = undefined;
  others: Map<string, Map<Primitive, Node<T>>> | undefined = undefined;

  valuesOf(name: string): Map<Primitive, Node<T>> | undefined {
    return this.name === name ? this.values : this.others?.get(name);
  }

  addValuesOf(name: string): Map<Primitive, Node<T>> {
    const values = new Map<Primitive, Node<T>>();
    if (this.name === undefined) {
      this.name = name;
      this.values = values;
    } else {
      this.others ??= new Map();
      this.others.set(name, values);
    }
    return values;
  }
}

export class AttributeSetIndex<T> {
  private readonly _root = new Node<T>();
  private _byKey: Map<string, T> | undefined;

  get(attributes: Attributes): T | undefined {
    // First the set's names in the order they came (for…in: no array per lookup, a third of the time on
    // fresh objects). A path is a sequence of name/value pairs, so it belongs to one set only, whatever
    // the order; every set is stored under its sorted names, and under each other order it was found in.
    let node = this._root;
    for (const name in attributes) {
      const value = attributes[name];
      if (value === undefined) continue;
      const next = isPrimitive(value) ? node.valuesOf(name)?.get(value) : undefined;
      if (next === undefined) return this._getInOtherOrder(attributes);
      node = next;
    }
    return node.stored ?? this._getInOtherOrder(attributes);
  }

  /** Stores `stored` for a set {@link get} does not find (the cumulative store's points are never replaced). */
  add(attributes: Attributes, stored: T): void {
    const names = Object.keys(attributes);
    if (!allPrimitive(attributes, names)) {
      this._byKey ??= new Map();
      this._byKey.set(attributesKey(attributes), stored);
      return;
    }
    this._path(attributes, names.slice().sort(), true).stored = stored;
    if (!sorted(names)) this._path(attributes, names, true).stored = stored;
  }

  /**
   * What the first walk missed: a new set, one met in an order other than the ones it was stored under
   * (found by its sorted names, then remembered in this order too), a set with an array value, or an
   * object with inherited enumerable properties (for…in walks them; they are not part of the set).
   */
  private _getInOtherOrder(attributes: Attributes): T | undefined {
    const names = Object.keys(attributes);
    if (!allPrimitive(attributes, names)) return this._byKey?.get(attributesKey(attributes));
    const stored = this._path(attributes, names, false)?.stored;
    if (stored !== undefined || sorted(names)) return stored;
    const found = this._path(attributes, names.slice().sort(), false)?.stored;
    if (found !== undefined) this._path(attributes, names, true).stored = found;
    return found;
  }

  /** The node at the end of the set's path with these names in this order; with `create` false, `undefined` if there is none. */
  private _path(attributes: Attributes, names: readonly string[], create: true): Node<T>;
  private _path(attributes: Attributes, names: readonly string[], create: false): Node<T> | undefined;
  private _path(attributes: Attributes, names: readonly string[], create: boolean): Node<T> | undefined {
    let node = this._root;
    for (const name of names) {
      const value = attributes[name] as Primitive | undefined;
      if (value === undefined) continue;
      let values = node.valuesOf(name);
      if (values === undefined) {
        if (!create) return undefined;
        values = node.addValuesOf(name);
      }
      let next = values.get(value);
      if (next === undefined) {
        if (!create) return undefined;
        next = new Node<T>();
        values.set(value, next);
      }
      node = next;
    }
    return node;
  }
}

function isPrimitive(value: unknown): value is Primitive {
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean';
}

/** Whether the tree takes the set: every value set is a string, number or boolean. */
function allPrimitive(attributes: Attributes, names: readonly string[]): boolean {
  for (const name of names) {
    const value = attributes[name];
    if (value !== undefined && !isPrimitive(value)) return false;
  }
  return true;
}

function sorted(names: readonly string[]): boolean {
  for (let index = 1; index < names.length; index++) {
    if ((names[index - 1] as string) > (names[index] as string)) return false;
  }
  return true;
}
