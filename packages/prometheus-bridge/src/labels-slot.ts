// A slot on the points the bridge's cumulative store keeps, where the serializer keeps each series' label
// text and bytes from one scrape to the next.
//
// Why: the store's points live as long as their series, with the same attributes, so their labels never
// need building again. Looking them up by attributes object (a WeakMap, frozen sets only) cost ~0.3 µs a
// series on a 10,000-series scrape, mostly cache misses; a property of the point itself is read at no
// extra cost, and covers attribute objects that are not frozen too. Points of anyone else (the SDK, a
// cluster merge, a caller of serialize()) have no slot and are never written to.

/** The property holding a store point's rendered labels (the serializer's business). */
export const LABELS_SLOT: unique symbol = Symbol('@va/prometheus-bridge labels');

/** A point with a slot for its rendered labels; `undefined` until first rendered. */
export interface WithLabelsSlot {
  [LABELS_SLOT]: unknown;
}
