// Finds what is stored for an attribute set by its contents, without building a key string.
//
// Why: a bare SDK fed a fresh attributes object on every record() (what upstream instrumentations do)
// hands the bridge a new object for every series in every collection, so the cumulative store must find
// each series by contents. A key (sorted JSON, attributesKey()) costs a serialization plus hashing the new
// string, for every series of every scrape. Walking a tree of Maps, one level per attribute, looks up
// strings the application usually already holds (their hash is cached in the string) and numbers, so a
// scrape of fresh sets takes less of the event loop. The price is memory: the tree holds more per set than
// the key strings did.
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
    // Every set is stored under its names in sorted order. Sorting them means an array per lookup (a
    // third of the time on fresh objects), so the walk first follows the names the tree expects and then
    // counts the set's values: as many as the path matched, and the path's set is this one.
    const prototype = Object.getPrototypeOf(attributes) as unknown;
    if (prototype !== Object.prototype && prototype !== null) return this._getSorted(attributes);
    let node = this._root;
    let matched = 0;
    for (let name = node.name; name !== undefined; name = node.name) {
      const value = attributes[name];
      const next = isPrimitive(value) ? node.values?.get(value) : undefined;
      if (next === undefined) break;
      node = next;
      matched++;
    }
    let count = 0;
    for (const name in attributes) if (attributes[name] !== undefined) count++;
    if (count === matched && node.stored !== undefined) return node.stored;
    // A set that leaves the tree's usual names (one more attribute, one fewer), or a new one.
    return this._getSorted(attributes);
  }

  /** Stores `stored` for a set {@link get} does not find (the cumulative store's points are never replaced). */
  add(attributes: Attributes, stored: T): void {
    const names = Object.keys(attributes);
    if (!allPrimitive(attributes, names)) {
      this._byKey ??= new Map();
      this._byKey.set(attributesKey(attributes), stored);
      return;
    }
    this._path(attributes, names.sort(), true).stored = stored;
  }

  private _getSorted(attributes: Attributes): T | undefined {
    const names = Object.keys(attributes);
    if (!allPrimitive(attributes, names)) return this._byKey?.get(attributesKey(attributes));
    return this._path(attributes, names.sort(), false)?.stored;
  }

  /** The node at the end of the set's path; with `create` false, `undefined` if there is none. */
  private _path(attributes: Attributes, sortedNames: readonly string[], create: true): Node<T>;
  private _path(attributes: Attributes, sortedNames: readonly string[], create: false): Node<T> | undefined;
  private _path(
    attributes: Attributes,
    sortedNames: readonly string[],
    create: boolean,
  ): Node<T> | undefined {
    let node = this._root;
    for (const name of sortedNames) {
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
