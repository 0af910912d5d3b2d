// Slots on the points and metrics the bridge's cumulative store hands out, where the serializer keeps what
// it worked out about a series from one scrape to the next. Not enumerable: copies and comparisons of
// collected data do not see them. Points and metrics of anyone else (the SDK, a cluster merge, a caller of
// serialize()) have no slots and are only read.
//
// Why: the store's points live as long as their series, with the same attributes, and a metric's set of
// series only grows. On a large scrape, looking a series' labels up by its attributes object (a WeakMap,
// frozen sets only) is a cache miss per series, and checking a family's label sets for duplicates costs as
// much again; a property of the point is read at no extra cost, and a metric whose series did not change
// since it was last checked needs no check.

/** The property holding a store point's rendered labels (the serializer's business); `undefined` at first. */
export const LABELS_SLOT: unique symbol = Symbol('@va/prometheus-bridge labels');

/** A point with a slot for its rendered labels. */
export interface WithLabelsSlot {
  [LABELS_SLOT]: unknown;
}

/** The property of a store metric (a snapshot of one stream) holding its {@link SeriesCheck}. */
export const CHECK_SLOT: unique symbol = Symbol('@va/prometheus-bridge series check');

/** One metric stream of the store: how many times its set of series changed, and what was checked. */
export interface StreamCheck {
  /** Grows whenever a series is added (series are never removed). */
  version: number;
  /** The serializer's record of the last check that found no duplicates (opaque to the store). */
  checked: unknown;
}

/** What a snapshot of a stream carries: the stream's record, and its version when the snapshot was taken. */
export interface SeriesCheck {
  readonly version: number;
  readonly stream: StreamCheck;
}

/** A metric with the slot of its {@link SeriesCheck}. */
export interface WithCheckSlot {
  [CHECK_SLOT]: SeriesCheck;
}

/** Defines a non-enumerable, writable slot. */
export function defineSlot(target: object, slot: symbol, value: unknown): void {
  Object.defineProperty(target, slot, { value, writable: true, enumerable: false });
}
