// What the bridge's render step keeps from one scrape to the next about the series of its cumulative store,
// so that an unchanged series costs no label building and an unchanged metric no duplicate check. Owned by
// the bridge and handed explicitly to the store (which says what its snapshots are) and to the render step
// (which reads and fills it). serialize() takes none, and writes nothing into what it renders.
//
// Why per stream and by position: the store's series live as long as the bridge, keep their attributes,
// and are only ever appended to their stream; so a series' position in a snapshot names it in every later
// snapshot, and a snapshot with as many series as a checked one has the same series. An array read per
// series, and one map lookup per metric, cost next to nothing on a scrape of many series, where a lookup
// per series by its attributes object did cost (cache misses).

import type { MetricData } from '@opentelemetry/sdk-metrics';

/** A series' labels as rendered: the text between its braces, and its UTF-8 bytes. */
export interface RenderedLabels {
  /** The scope labels the text was rendered with (a stream is rendered with those of its scope). */
  readonly scope: string;
  readonly text: string;
  readonly bytes: Uint8Array;
}

/** A duplicate check of one stream's series that found no two rendering as the same Prometheus series. */
export interface SeriesCheck {
  /** How many series the stream had. */
  readonly series: number;
  /** The family name and scope labels they were rendered with. */
  readonly head: string;
  readonly scopeLabels: string;
}

/** What is kept about one stream of the store. */
export interface StreamRender {
  /** By the series' position in the stream. */
  readonly labels: Array<RenderedLabels | undefined>;
  /** The last check that found no duplicates, if any. */
  checked: SeriesCheck | undefined;
}

/** The bridge's render cache: what the render step keeps about the streams of the bridge's store. */
export class RenderCache {
  private readonly _streams = new WeakMap<object, StreamRender>();
  private readonly _snapshots = new WeakMap<MetricData, StreamRender>();

  /**
   * Records that `snapshot` lists the series of `stream` (an object that stands for it as long as it lives)
   * in the order they were added. The caller promises that a stream's series are only ever appended, and
   * that each keeps its attributes.
   */
  track(snapshot: MetricData, stream: object): void {
    let render = this._streams.get(stream);
    if (render === undefined) {
      render = { labels: [], checked: undefined };
      this._streams.set(stream, render);
    }
    this._snapshots.set(snapshot, render);
  }

  /** What is kept about the stream `metric` is a snapshot of; `undefined` for any other metric. */
  streamOf(metric: MetricData): StreamRender | undefined {
    return this._snapshots.get(metric);
  }
}
