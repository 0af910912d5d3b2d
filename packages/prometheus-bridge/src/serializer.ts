// Renders one collection (ResourceMetrics) as Prometheus text exposition format 0.0.4, or as OpenMetrics
// text 1.0.0: the same samples, with OpenMetrics' metadata (exposition-format.ts negotiates which).
// serialize() is input in, string out: no I/O, no clock, nothing written into its input; pure apart from diag
// warnings (and what nobody can observe: a reused scratch buffer, bounded memos of names, the labels of
// frozen attribute sets). The bridge's render step also keeps what it works out about the series of its
// store in the RenderCache it is handed (render-cache.ts). The transport lives in prometheus-bridge.ts.
//
// Rules: OpenTelemetry "Prometheus and OpenMetrics Compatibility", "OTLP Metric points to Prometheus"
// https://github.com/open-telemetry/opentelemetry-specification/blob/main/specification/compatibility/prometheus_and_openmetrics.md#otlp-metric-points-to-prometheus
// Format: https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
// OpenMetrics: https://github.com/prometheus/OpenMetrics/blob/v1.0.0/specification/OpenMetrics.md
//
// Speed matters here: a scrape of 10,000 histogram series is ~170,000 lines (tens of MB) and blocks the
// event loop while it renders. So names are computed once per metric, each series' label string once,
// the `,le="…"} ` tails once per boundary list, and lines are assembled as bytes (exposition-writer.ts).

import type { Attributes, AttributeValue } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import {
  type DataPoint,
  DataPointType,
  type Histogram,
  type MetricData,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { ExpositionFormat } from './exposition-format.js';
import { ExpositionWriter, putAscii, putCountLine } from './exposition-writer.js';
import {
  escapeHelp,
  escapeLabelValue,
  formatValue,
  type PrometheusMetricType,
  prometheusMetricName,
  prometheusUnit,
  sanitizeLabelName,
} from './naming.js';
import type { RenderCache, RenderedLabels, StreamRender } from './render-cache.js';
import { WarnOnce } from './warn-once.js';

/** Options of {@link serialize}. */
export interface SerializeOptions {
  /** Prepended to every metric name with `_` (not to `target_info`). Default `''`: no prefix. */
  prefix?: string;
  /** Render the `target_info` gauge carrying the resource attributes. Default `true`. */
  withTargetInfo?: boolean;
  /** Add `otel_scope_name` and `otel_scope_version` labels to every series. Default `true`. */
  withScopeLabels?: boolean;
  /** Prometheus text 0.0.4 (the default) or OpenMetrics text 1.0.0. */
  format?: ExpositionFormat;
}

/** Counts of what one serialization rendered (for the bridge's health report). */
export interface SerializeStats {
  counters: number;
  gauges: number;
  histograms: number;
  /** Data points rendered: one per counter/gauge series, one per histogram series (not per line). */
  series: number;
}

// The generator pauses after about this many bytes (a few histogram series), so a consumer can let the
// event loop run between steps.
const STEP_BYTES = 1 << 16;

// serialize() writes into this buffer, kept between calls and sized to fit the previous result: the
// result then decodes from one buffer, and memory already touched is reused (fresh memory costs a page
// fault per 4 KiB, a cost that grows with the exposition).
let scratch: Buffer | undefined;
const MIN_SCRATCH = 1 << 18;

// What cannot be rendered (a metric dropped, a duplicate series) is the same on every scrape: warned once.
const warnings = new WarnOnce();

/**
 * Renders a collection as Prometheus text exposition format 0.0.4, or with `format: 'openmetrics'` as
 * OpenMetrics text 1.0.0 (the same samples; the metadata of {@link openMetricsMetadata}, and `# EOF`). The
 * output ends with a newline; in text 0.0.4 it is empty when there is nothing to render.
 *
 * - `target_info` (value 1, the resource attributes as labels) comes first.
 * - One `# HELP` and one `# TYPE` per family, even when several scopes emit the same metric; a metric whose
 *   name is taken by a metric of another type is dropped with a warning.
 * - Monotonic sums → `counter` (`_total`), other sums and gauges → `gauge`, histograms → `histogram`
 *   (cumulative `_bucket{le}`, `_sum`, `_count`); exponential histograms cannot be written in this format
 *   and are dropped with a warning.
 * - No timestamps.
 */
export function serialize(resourceMetrics: ResourceMetrics, options?: SerializeOptions): string {
  const writer = new ExpositionWriter(scratch);
  scratch = undefined; // ours until the end, even if a diag logger called serialize() meanwhile
  const steps = writeExposition(writer, resourceMetrics, options);
  while (steps.next().done !== true) {
    // Run to the end in one go: pausing is for callers that interleave other work.
  }
  const first = writer.firstBuffer;
  const buffers = writer.finish();
  const encoding = writer.ascii ? 'latin1' : 'utf8';
  const text =
    buffers.length <= 1
      ? (buffers[0]?.toString(encoding) ?? '')
      : Buffer.concat(buffers, writer.length).toString(encoding);
  // Keep a buffer for the next call that fits this result (scrapes of one process are of similar
  // size), without holding on to much more memory than that.
  const fits = buffers.length <= 1 && (first.length <= MIN_SCRATCH || writer.length * 4 >= first.length);
  scratch = fits ? first : Buffer.allocUnsafe(Math.max(MIN_SCRATCH, Math.ceil(writer.length * 1.25)));
  return text;
}

interface FamilyMember {
  metric: MetricData;
  /** `otel_scope_name="…",otel_scope_version="…"` or `''`. */
  scopeLabels: string;
}

interface Family {
  name: string;
  type: PrometheusMetricType;
  help: string;
  /** OpenMetrics' `# UNIT`: the unit suffix the name ends with (`seconds`), or `''` (always in text 0.0.4). */
  unit: string;
  members: FamilyMember[];
}

/**
 * Writes the exposition {@link serialize} returns into `writer`, pausing (yielding) every ~64 KiB. Not
 * exported from the package: the bridge uses it to let the event loop run between steps, to read `stats`,
 * and to keep what it works out about the series of its store in its `cache` (render-cache.ts).
 */
export function* writeExposition(
  writer: ExpositionWriter,
  resourceMetrics: ResourceMetrics,
  options: SerializeOptions = {},
  stats?: SerializeStats,
  cache?: RenderCache,
): Generator<void, void, undefined> {
  const prefix = options.prefix ?? '';
  const withScopeLabels = options.withScopeLabels ?? true;
  const openMetrics = options.format === 'openmetrics';
  let pausedAt = 0;

  // Spec, "Resource Attributes": resource attributes SHOULD become one `target` info metric if the
  // resource is not empty; text format 0.0.4 has no info type, so a gauge `target_info` with value 1.
  // OpenMetrics has: the family `target` of type info, whose one sample is `target_info`.
  if (options.withTargetInfo ?? true) {
    const labels = labelString(resourceMetrics.resource.attributes);
    if (labels !== '') {
      writer.text(
        openMetrics
          ? `# TYPE target info\n# HELP target Target metadata\ntarget_info{${labels}} 1\n`
          : `# HELP target_info Target metadata\n# TYPE target_info gauge\ntarget_info{${labels}} 1\n`,
      );
    }
  }

  for (const family of groupFamilies(resourceMetrics, prefix, withScopeLabels, openMetrics).values()) {
    if (stats !== undefined) {
      if (family.type === 'counter') stats.counters++;
      else if (family.type === 'gauge') stats.gauges++;
      else stats.histograms++;
    }
    const head = family.name;
    writer.text(openMetrics ? openMetricsMetadata(family) : textMetadata(family));

    const duplicates = new DuplicateCheck(family, cache);
    for (const { metric, scopeLabels } of family.members) {
      if (stats !== undefined) stats.series += metric.dataPoints.length;
      // groupFamilies() kept only sums, gauges and histograms.
      const seriesWriter: SeriesWriter =
        metric.dataPointType === DataPointType.HISTOGRAM
          ? new HistogramWriter(writer, head)
          : new SampleWriter(writer, head);
      const stream = cache?.streamOf(metric);
      const points = metric.dataPoints as readonly DataPoint<number | Histogram>[];
      for (let index = 0; index < points.length; index++) {
        const point = points[index] as DataPoint<number | Histogram>;
        const labels =
          stream === undefined
            ? seriesLabels(point.attributes, scopeLabels)
            : streamLabels(stream, index, point.attributes, scopeLabels);
        if (duplicates.isDuplicate(labels.text, metric)) continue;
        seriesWriter.write(point.value, labels);
        if (writer.length - pausedAt >= STEP_BYTES) {
          pausedAt = writer.length;
          yield;
        }
      }
    }
    duplicates.finish();
  }
  if (openMetrics) writer.text('# EOF\n');
}

/** A family's `# HELP` (when it has a description) and `# TYPE` lines in text format 0.0.4. */
function textMetadata({ name, type, help }: Family): string {
  return `${help === '' ? '' : `# HELP ${name} ${help}\n`}# TYPE ${name} ${type}\n`;
}

/**
 * A family's metadata in OpenMetrics: `# TYPE`, `# HELP` (which escapes `"` too) and `# UNIT` when the
 * name ends with its unit. A counter's family is named without `_total`, which only its sample carries.
 */
function openMetricsMetadata({ name, type, help, unit }: Family): string {
  const familyName = openMetricsFamilyName(name, type);
  let text = `# TYPE ${familyName} ${type}\n`;
  if (help !== '') text += `# HELP ${familyName} ${help.replace(/"/g, '\\"')}\n`;
  if (unit !== '') text += `# UNIT ${familyName} ${unit}\n`;
  return text;
}

const encoder = new TextEncoder();
const CLOSE = encoder.encode('} ');
const NEWLINE = 10;
// A count line's value: at most 16 digits and a newline.
const COUNT_BYTES = 17;

/**
 * A series' labels: the text between its braces (`''` for none), and its UTF-8 bytes when they were
 * encoded once to be kept (see {@link streamLabels}, {@link frozenSeriesLabels}).
 */
interface SeriesLabels {
  readonly text: string;
  readonly bytes: Uint8Array | undefined;
}

/** Writes `labels` at `at`; returns the offset after them. Room: {@link labelBytes}. */
function putLabels(buffer: Buffer, at: number, labels: SeriesLabels): number {
  if (labels.bytes === undefined) return at + buffer.write(labels.text, at, 'utf8');
  buffer.set(labels.bytes, at);
  return at + labels.bytes.length;
}

function labelBytes(labels: SeriesLabels): number {
  return labels.bytes?.length ?? Buffer.byteLength(labels.text, 'utf8');
}

function isAscii(labels: SeriesLabels, bytes: number): boolean {
  return bytes === labels.text.length;
}

/**
 * Writes the series of one metric: a histogram's to a HistogramWriter, a counter's or a gauge's to a
 * SampleWriter (the caller picks the writer by the metric's data point type).
 */
interface SeriesWriter {
  write(value: number | Histogram, labels: SeriesLabels): void;
}

/** Writes the series of one counter or gauge metric: `name{labels} value`. */
class SampleWriter implements SeriesWriter {
  private readonly _writer: ExpositionWriter;
  private readonly _open: Uint8Array;
  private readonly _bare: Uint8Array;

  constructor(writer: ExpositionWriter, head: string) {
    this._writer = writer;
    this._open = encoder.encode(`${head}{`);
    this._bare = encoder.encode(`${head} `);
  }

  write(value: number, labels: SeriesLabels): void {
    const valueText = formatValue(value);
    const bytes = labelBytes(labels);
    const buffer = this._writer.claim(this._open.length + bytes + CLOSE.length + valueText.length + 1);
    let at = this._writer.position;
    if (labels.text === '') {
      buffer.set(this._bare, at);
      at += this._bare.length;
    } else {
      buffer.set(this._open, at);
      at = putLabels(buffer, at + this._open.length, labels);
      buffer.set(CLOSE, at);
      at += CLOSE.length;
    }
    at = putAscii(buffer, at, valueText);
    buffer[at] = NEWLINE;
    this._writer.advance(at + 1, isAscii(labels, bytes));
  }
}

/**
 * Writes the series of one histogram metric. Spec, "Histograms": cumulative `{name}_bucket` lines with an
 * `le` label, ordered by bound and ending with `+Inf`, then `{name}_sum` and `{name}_count`.
 */
class HistogramWriter implements SeriesWriter {
  private readonly _writer: ExpositionWriter;
  private readonly _head: string;
  private readonly _bucketOpen: Uint8Array;
  private readonly _sumOpen: Uint8Array;
  private readonly _sumBare: Uint8Array;
  private readonly _countOpen: Uint8Array;
  private readonly _countBare: Uint8Array;
  private _boundaries: readonly number[] | undefined;
  /** The `le` values: `0.005` … `+Inf`. */
  private _bounds: string[] = [];
  /** `,le="0.005"} ` … `,le="+Inf"} `, encoded; without the comma for series with no other label. */
  private _tails: Uint8Array[] = [];
  private _tailsNoLabels: Uint8Array[] = [];
  private _tailBytes = 0;

  constructor(writer: ExpositionWriter, head: string) {
    this._writer = writer;
    this._head = head;
    this._bucketOpen = encoder.encode(`${head}_bucket{`);
    this._sumOpen = encoder.encode(`${head}_sum{`);
    this._sumBare = encoder.encode(`${head}_sum `);
    this._countOpen = encoder.encode(`${head}_count{`);
    this._countBare = encoder.encode(`${head}_count `);
  }

  write(histogram: Histogram, labels: SeriesLabels): void {
    const { boundaries, counts } = histogram.buckets;
    if (boundaries !== this._boundaries) this._setBoundaries(boundaries);
    if (counts.length < this._bounds.length || !writableCounts(counts, histogram.count)) {
      this._writeAsText(histogram, labels.text);
      return;
    }
    const withLabels = labels.text !== '';
    const tails = withLabels ? this._tails : this._tailsNoLabels;
    // The SDK leaves `sum` unset when the instrument may record negative values (spec: `_sum` is
    // "reported only if the sum is positive and monotonic").
    const sumText = histogram.sum === undefined ? '' : formatValue(histogram.sum);
    const bytes = labelBytes(labels);
    const prefixBytes = this._bucketOpen.length + bytes;
    // Room for every line of the series: each bucket line at its longest, then `_sum` and `_count`.
    const writer = this._writer;
    const buffer = writer.claim(
      tails.length * (prefixBytes + this._tailBytes + COUNT_BYTES) +
        this._sumOpen.length +
        this._countOpen.length +
        2 * (bytes + CLOSE.length) +
        sumText.length +
        1 +
        COUNT_BYTES,
    );
    // The first line's `name_bucket{labels` is written once and copied for every further line.
    const start = writer.position;
    buffer.set(this._bucketOpen, start);
    const labelsStart = start + this._bucketOpen.length;
    const prefixEnd = putLabels(buffer, labelsStart, labels);
    let at = prefixEnd;
    let cumulative = 0;
    const finite = tails.length - 1;
    for (let i = 0; i <= finite; i++) {
      cumulative += counts[i] as number;
      // Counts beyond a bound of +Inf (which the SDK never produces) belong to the +Inf bucket.
      if (i === finite) for (let j = finite + 1; j < counts.length; j++) cumulative += counts[j] as number;
      if (i > 0) {
        buffer.copyWithin(at, start, prefixEnd);
        at += prefixEnd - start;
      }
      const tail = tails[i] as Uint8Array;
      buffer.set(tail, at);
      at = putCountLine(buffer, at + tail.length, cumulative);
    }

    if (sumText !== '') {
      at = this._lineOpen(buffer, at, withLabels ? this._sumOpen : this._sumBare, labelsStart, prefixEnd);
      at = putAscii(buffer, at, sumText);
      buffer[at++] = NEWLINE;
    }
    at = this._lineOpen(buffer, at, withLabels ? this._countOpen : this._countBare, labelsStart, prefixEnd);
    at = putCountLine(buffer, at, histogram.count);
    writer.advance(at, isAscii(labels, bytes));
  }

  /** `name_sum{labels} ` (the labels copied from the first line), or `name_sum ` without labels. */
  private _lineOpen(
    buffer: Buffer,
    at: number,
    open: Uint8Array,
    labelsStart: number,
    labelsEnd: number,
  ): number {
    buffer.set(open, at);
    at += open.length;
    if (labelsStart === labelsEnd) return at;
    buffer.copyWithin(at, labelsStart, labelsEnd);
    at += labelsEnd - labelsStart;
    buffer.set(CLOSE, at);
    return at + CLOSE.length;
  }

  /**
   * Counts that are not non-negative safe integers, or fewer than the bounds (never from the SDK): every
   * value formatted as text, a missing count as 0.
   */
  private _writeAsText(histogram: Histogram, labels: string): void {
    const { counts } = histogram.buckets;
    const head = this._head;
    const open = labels === '' ? '' : `${labels},`;
    let cumulative = 0;
    const finite = this._bounds.length - 1;
    for (let i = 0; i <= finite; i++) {
      cumulative += counts[i] ?? 0;
      if (i === finite) for (let j = finite + 1; j < counts.length; j++) cumulative += counts[j] ?? 0;
      this._writer.text(`${head}_bucket{${open}le="${this._bounds[i]}"} ${formatValue(cumulative)}\n`);
    }
    const braces = labels === '' ? ' ' : `{${labels}} `;
    if (histogram.sum !== undefined) this._writer.text(`${head}_sum${braces}${formatValue(histogram.sum)}\n`);
    this._writer.text(`${head}_count${braces}${formatValue(histogram.count)}\n`);
  }

  private _setBoundaries(boundaries: readonly number[]): void {
    this._boundaries = boundaries;
    const bounds: string[] = [];
    for (const bound of boundaries) {
      if (bound === Number.POSITIVE_INFINITY) break;
      bounds.push(formatValue(bound));
    }
    bounds.push('+Inf');
    this._bounds = bounds;
    this._tails = bounds.map((bound) => encoder.encode(`,le="${bound}"} `));
    this._tailsNoLabels = bounds.map((bound) => encoder.encode(`le="${bound}"} `));
    this._tailBytes = Math.max(...this._tails.map((tail) => tail.length));
  }
}

/** Whether a histogram's counts can be written as digits: non-negative safe integers whose total is safe too. */
function writableCounts(counts: readonly number[], count: number): boolean {
  if (!Number.isSafeInteger(count) || count < 0) return false;
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    const value = counts[i] as number;
    if (!Number.isSafeInteger(value) || value < 0) return false;
    total += value;
  }
  return Number.isSafeInteger(total);
}

/**
 * Groups the metrics of all scopes by their final Prometheus name, in order of first appearance.
 * Spec, "Metric Metadata": exporters "MUST NOT allow duplicate UNIT, HELP, or TYPE comments for the same
 * metric name"; they "MUST drop entire metrics to prevent conflicting TYPE comments" and keep the points of
 * metrics whose HELP merely differs (we keep the first HELP).
 */
function groupFamilies(
  resourceMetrics: ResourceMetrics,
  prefix: string,
  withScopeLabels: boolean,
  openMetrics: boolean,
): Map<string, Family> {
  const families = new Map<string, Family>();
  // Sample name → the family that writes it: a histogram `x` writes `x_count`, which a gauge `x_count`
  // would write too (a histogram's own name counts as well: parsers read `x_bucket` as part of `x`).
  const sampleOwners = new Map<string, string>();
  for (const { scope, metrics } of resourceMetrics.scopeMetrics) {
    const scopeLabels = withScopeLabels ? scopeLabelString(scope) : '';
    for (const metric of metrics) {
      if (metric.dataPoints.length === 0) continue;
      const type = prometheusType(metric);
      if (type === undefined) {
        // Spec, "Differences between Prometheus formats": exponential histograms "SHOULD be dropped if
        // they are not supported" — the text format has no native histograms.
        warnings.warn(
          `exponential:${metric.descriptor.name}`,
          `metric "${metric.descriptor.name}" is an exponential histogram, which Prometheus text format 0.0.4 cannot express; it is not exported. Use explicit bucket boundaries (a View with aggregation EXPLICIT_BUCKET_HISTOGRAM) to scrape it.`,
        );
        continue;
      }
      const name = metricName(metric, type, prefix);
      const family = families.get(name);
      if (family === undefined) {
        const samples = sampleNames(name, type, openMetrics);
        const owner = samples.map((sample) => sampleOwners.get(sample)).find((found) => found !== undefined);
        if (owner !== undefined) {
          warnings.warn(
            `conflict:${name}`,
            `metric "${metric.descriptor.name}" maps to Prometheus name "${name}", whose samples the ${families.get(owner)?.type} "${owner}" writes already; it is not exported. Rename one of them.`,
          );
          continue;
        }
        for (const sample of samples) sampleOwners.set(sample, name);
        families.set(name, {
          name,
          type,
          help: escapeHelp(metric.descriptor.description),
          // only OpenMetrics writes it: not worked out for every family of every text scrape
          unit: openMetrics ? unitSuffix(name, metric, type) : '',
          members: [{ metric, scopeLabels }],
        });
      } else if (family.type === type) {
        family.members.push({ metric, scopeLabels });
      } else {
        warnings.warn(
          `conflict:${name}`,
          `metric "${metric.descriptor.name}" maps to Prometheus name "${name}", already used by a ${family.type}; the ${type} is not exported. Rename one of them.`,
        );
      }
    }
  }
  return families;
}

/**
 * The names a family owns: its samples', and its own (parsers read `x_bucket` as part of `x`). In
 * OpenMetrics a counter `x_total` is the family `x`, which then no other family may be, and counters and
 * histograms own `_created` samples too (which we do not write, but a parser still reads as theirs).
 */
function sampleNames(name: string, type: PrometheusMetricType, openMetrics: boolean): string[] {
  const histogram = type === 'histogram';
  const names = histogram ? [name, `${name}_bucket`, `${name}_sum`, `${name}_count`] : [name];
  if (!openMetrics) return names;
  if (histogram) names.push(`${name}_created`);
  else if (type === 'counter') {
    const family = openMetricsFamilyName(name, type);
    names.push(family, `${family}_created`);
  }
  return names;
}

/** The unit suffix of a family's name (without a counter's `_total`), or `''` when it has none. */
function unitSuffix(name: string, metric: MetricData, type: PrometheusMetricType): string {
  const unit = prometheusUnit(metric.descriptor.unit, type);
  if (unit === '') return '';
  return openMetricsFamilyName(name, type).endsWith(`_${unit}`) ? unit : '';
}

/** The name of a family in OpenMetrics: a counter's without the `_total` its name always ends with. */
function openMetricsFamilyName(name: string, type: PrometheusMetricType): string {
  return type === 'counter' ? name.slice(0, -'_total'.length) : name;
}

function prometheusType(metric: MetricData): PrometheusMetricType | undefined {
  switch (metric.dataPointType) {
    case DataPointType.SUM:
      // Spec, "Sums": cumulative monotonic → Counter, non-monotonic → Gauge. The bridge renders cumulative
      // totals (its store adds up the SDK's deltas), so delta data only arrives from a foreign producer
      // calling serialize(); it is rendered as is.
      return metric.isMonotonic ? 'counter' : 'gauge';
    case DataPointType.GAUGE:
      return 'gauge';
    case DataPointType.HISTOGRAM:
      return 'histogram';
    default:
      return undefined;
  }
}

// Bounded caches: names repeat on every scrape, but a misbehaving app could create names without end.
const CACHE_LIMIT = 10_000;
const metricNameCache = new Map<string, string>();
const labelNameCache = new Map<string, string>();

function metricName(metric: MetricData, type: PrometheusMetricType, prefix: string): string {
  const { name, unit } = metric.descriptor;
  const key = `${type}\0${prefix}\0${unit}\0${name}`;
  let result = metricNameCache.get(key);
  if (result === undefined) {
    result = prometheusMetricName({ name, unit, type }, prefix);
    if (metricNameCache.size >= CACHE_LIMIT) metricNameCache.clear();
    metricNameCache.set(key, result);
  }
  return result;
}

function labelName(key: string): string {
  let result = labelNameCache.get(key);
  if (result === undefined) {
    result = sanitizeLabelName(key);
    if (labelNameCache.size >= CACHE_LIMIT) labelNameCache.clear();
    labelNameCache.set(key, result);
  }
  return result;
}

function scopeLabelString(scope: InstrumentationScope): string {
  // Spec, "Instrumentation Scope": exporters "MUST add the scope name as the `otel_scope_name` label and
  // the scope version as the `otel_scope_version` label on all metric points by default".
  const name = `otel_scope_name="${escapeLabelValue(scope.name)}"`;
  return scope.version ? `${name},otel_scope_version="${escapeLabelValue(scope.version)}"` : name;
}

// The label text of a frozen attribute set, kept from scrape to scrape. The series' attributes object is the
// same in every collection (the bridge's totals and the SDK's cumulative state keep the first one they
// got), and @va/otel-sdk's views hand the SDK one frozen object per set: its text is built, escaped and
// encoded once, and, once hashed by the duplicate check, never hashed again. Frozen only: a mutable object
// could change.
const frozenLabels = new WeakMap<Attributes, RenderedLabels>();

/**
 * The labels of the series at `index` of a stream of the bridge's store, kept in the bridge's render cache
 * (render-cache.ts).
 */
function streamLabels(
  stream: StreamRender,
  index: number,
  attributes: Attributes,
  scopeLabels: string,
): SeriesLabels {
  const kept = stream.labels[index];
  if (kept !== undefined && kept.scope === scopeLabels) return kept;
  const labels = Object.isFrozen(attributes)
    ? frozenSeriesLabels(attributes, scopeLabels)
    : keepLabels(attributes, scopeLabels);
  stream.labels[index] = labels;
  return labels;
}

/** `attributes` and the scope's labels: the text between a series' braces. */
function seriesLabels(attributes: Attributes, scopeLabels: string): SeriesLabels {
  if (!Object.isFrozen(attributes)) {
    return { text: joinLabels(labelString(attributes), scopeLabels), bytes: undefined };
  }
  return frozenSeriesLabels(attributes, scopeLabels);
}

function frozenSeriesLabels(attributes: Attributes, scopeLabels: string): RenderedLabels {
  const kept = frozenLabels.get(attributes);
  if (kept !== undefined && kept.scope === scopeLabels) return kept;
  const labels = keepLabels(attributes, scopeLabels);
  frozenLabels.set(attributes, labels);
  return labels;
}

function keepLabels(attributes: Attributes, scopeLabels: string): RenderedLabels {
  const text = joinLabels(labelString(attributes), scopeLabels);
  return { scope: scopeLabels, text, bytes: encoder.encode(text) };
}

function joinLabels(attributes: string, scope: string): string {
  if (scope === '') return attributes;
  return attributes === '' ? scope : `${attributes},${scope}`;
}

/** Attribute values as the spec's attribute rules stringify them: arrays as JSON, the rest via String. */
function attributeValueString(value: AttributeValue): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return JSON.stringify(value);
  return String(value);
}

/** `a="x",b="y"` for a set of attributes, or `''`. */
function labelString(attributes: Attributes): string {
  let out = '';
  let names: string[] | undefined;
  for (const key in attributes) {
    const value = attributes[key];
    // Prometheus stores a label whose value is empty as no label at all: writing none says the same.
    if (value === undefined || value === null || value === '') continue;
    const name = labelName(key);
    if (names === undefined) names = [name];
    else if (names.includes(name)) return collidingLabelString(attributes);
    else names.push(name);
    out += `${out === '' ? '' : ','}${name}="${escapeLabelValue(attributeValueString(value))}"`;
  }
  return out;
}

/**
 * Slow path for attribute keys that sanitize to the same label name. Spec, "Metric Attributes": "the
 * values MUST be concatenated together, separated by `;`, and ordered by the lexicographical order of the
 * original keys."
 */
function collidingLabelString(attributes: Attributes): string {
  const byName = new Map<string, string[]>();
  for (const key in attributes) {
    const value = attributes[key];
    if (value === undefined || value === null || value === '') continue;
    const name = labelName(key);
    const keys = byName.get(name);
    if (keys === undefined) byName.set(name, [key]);
    else keys.push(key);
  }
  let out = '';
  for (const [name, keys] of byName) {
    keys.sort();
    const value = keys.map((key) => attributeValueString(attributes[key] as AttributeValue)).join(';');
    out += `${out === '' ? '' : ','}${name}="${escapeLabelValue(value)}"`;
  }
  return out;
}

/**
 * Distinct OTel series can be one Prometheus series: names or keys equal once sanitized (`a.b`, `a_b`), values
 * equal once stringified (`1`, "1"). Prometheus keeps one sample of a duplicate and drops the rest silently;
 * we write the first and warn. A family that is one metric of the bridge's store whose set of series has not
 * changed since a check found no duplicate is not checked again (render-cache.ts).
 */
class DuplicateCheck {
  private readonly _head: string;
  /** Label texts written so far; `undefined` when the family needs no check. */
  private readonly _written: Set<string> | undefined;
  /** Where to record a check without duplicates, for a family of one store metric. */
  private readonly _stream: StreamRender | undefined;
  private readonly _series: number;
  private readonly _scopeLabels: string;
  private _found = false;

  constructor(family: Family, cache: RenderCache | undefined) {
    this._head = family.name;
    const only = family.members.length === 1 ? family.members[0] : undefined;
    this._stream = only === undefined ? undefined : cache?.streamOf(only.metric);
    // A stream's series are only ever appended: as many series as last time are the same series.
    this._series = only?.metric.dataPoints.length ?? 0;
    this._scopeLabels = only?.scopeLabels ?? '';
    this._written = this._isChecked() ? undefined : new Set();
  }

  /** Whether a series with these labels was written already in this family; warns once per metric if so. */
  isDuplicate(labels: string, metric: MetricData): boolean {
    const written = this._written;
    if (written === undefined) return false;
    const size = written.size;
    if (written.add(labels).size !== size) return false;
    this._found = true;
    warnings.warn(
      `duplicate:${this._head}:${metric.descriptor.name}`,
      `metric "${metric.descriptor.name}" has series that are one Prometheus series of "${this._head}" once names and values are sanitized; only the first is exported.`,
    );
    return true;
  }

  /** Call once every series was written: remembers a check that found nothing. */
  finish(): void {
    const stream = this._stream;
    if (stream === undefined || this._written === undefined || this._found) return;
    stream.checked = { series: this._series, head: this._head, scopeLabels: this._scopeLabels };
  }

  private _isChecked(): boolean {
    const checked = this._stream?.checked;
    return (
      checked !== undefined &&
      checked.series === this._series &&
      checked.head === this._head &&
      checked.scopeLabels === this._scopeLabels
    );
  }
}
