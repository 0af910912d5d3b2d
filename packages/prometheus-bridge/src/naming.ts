// OTel → Prometheus naming: pure functions, no state but small bounded caches.
//
// The rules follow the OpenTelemetry specification "Prometheus and OpenMetrics Compatibility",
// section "OTLP Metric points to Prometheus" (below: "spec"):
// https://github.com/open-telemetry/opentelemetry-specification/blob/main/specification/compatibility/prometheus_and_openmetrics.md#otlp-metric-points-to-prometheus
// Where the spec leaves a choice open we do what the Collector's translator does
// (github.com/prometheus/otlptranslator, used by the Collector's Prometheus exporters), so a direct
// scrape and an OTLP → Collector → Prometheus pipeline give the same series names.

/** The Prometheus family type an OTel metric becomes. `counter` is a monotonic sum. */
export type PrometheusMetricType = 'counter' | 'gauge' | 'histogram';

/** What the metric name depends on: the OTel instrument name, its unit, and the Prometheus type. */
export interface MetricNameInput {
  name: string;
  unit?: string;
  type: PrometheusMetricType;
}

// UCUM abbreviations → Prometheus base-unit words, as in the Collector's translator (spec: "Converting
// from abbreviations to full words (e.g. "ms" to "milliseconds")").
const UNIT_WORDS: Readonly<Record<string, string>> = {
  d: 'days',
  h: 'hours',
  min: 'minutes',
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
  GiBy: 'gibibytes',
  TiBy: 'tebibytes',
  KBy: 'kilobytes',
  MBy: 'megabytes',
  GBy: 'gigabytes',
  TBy: 'terabytes',
  bit: 'bits',
  m: 'meters',
  V: 'volts',
  A: 'amperes',
  J: 'joules',
  W: 'watts',
  g: 'grams',
  Cel: 'celsius',
  Hz: 'hertz',
  '%': 'percent',
};

// The denominator of "a/b" is singular ("bytes_per_second"). Note `m` is "minute" here, not "meter":
// that is the Collector's table, kept so both paths agree.
const PER_UNIT_WORDS: Readonly<Record<string, string>> = {
  s: 'second',
  m: 'minute',
  min: 'minute',
  h: 'hour',
  d: 'day',
  w: 'week',
  mo: 'month',
  y: 'year',
};

const INVALID_METRIC_CHARS = /[^a-zA-Z0-9_:]/g;
const INVALID_LABEL_CHARS = /[^a-zA-Z0-9_]/g;
const UNDERSCORE_RUNS = /__+/g;
const ANNOTATIONS = /\{[^}]*\}/g;
/** Label names the serializer adds to samples itself; see {@link sanitizeLabelName}. */
const EXPOSITION_LABELS: ReadonlySet<string> = new Set(['le', 'otel_scope_name', 'otel_scope_version']);

/**
 * Replaces every character outside `[a-zA-Z0-9_:]` with `_`, collapses runs of `_` and prefixes a
 * leading digit with `_`.
 * Spec: "The metric name is required to match the regex: `[a-zA-Z_:]([a-zA-Z0-9_:])*`. Invalid characters
 * in the metric name MUST be replaced with the `_` character. Multiple consecutive `_` characters MUST be
 * replaced with a single `_` character." The `_` before a digit is the Collector's choice.
 */
export function sanitizeMetricName(name: string): string {
  const sanitized = name.replace(INVALID_METRIC_CHARS, '_').replace(UNDERSCORE_RUNS, '_');
  return startsWithDigit(sanitized) ? `_${sanitized}` : sanitized;
}

/**
 * The Prometheus unit word(s) for an OTel (UCUM) unit, or `''` when the name gets no unit suffix.
 *
 * Spec: "Dropping the portions of the Unit within brackets (e.g. {packet}) … A "count of foo" is
 * considered unitless"; "Converting "foo/bar" to "foo_per_bar""; "Special case: Converting "1" to
 * "ratio"" — which, like the Collector, we apply to gauges only: instrumentations often (wrongly) give
 * counters and histograms of things unit `1`, and `_ratio_total` would be absurd.
 * Units we do not know are kept as written (case included), invalid characters replaced with `_`.
 *
 * @example prometheusUnit('By/s', 'gauge') === 'bytes_per_second'
 * @example prometheusUnit('{request}', 'counter') === ''
 */
export function prometheusUnit(unit: string | undefined, type: PrometheusMetricType): string {
  if (unit === undefined) return '';
  const trimmed = unit.trim();
  if (trimmed === '1') return type === 'gauge' ? 'ratio' : '';
  const withoutAnnotations = trimmed.replace(ANNOTATIONS, '').trim();
  if (withoutAnnotations === '') return '';
  const slash = withoutAnnotations.indexOf('/');
  const main = (slash === -1 ? withoutAnnotations : withoutAnnotations.slice(0, slash)).trim();
  const per = slash === -1 ? '' : withoutAnnotations.slice(slash + 1).trim();
  // `1/s` is a rate of things: no main unit, just `per_second`.
  const mainWord = main === '' || main === '1' ? '' : cleanUnit(wordFor(UNIT_WORDS, main));
  const perWord = per === '' ? '' : cleanUnit(wordFor(PER_UNIT_WORDS, per));
  if (perWord === '') return mainWord;
  return mainWord === '' ? `per_${perWord}` : `${mainWord}_per_${perWord}`;
}

/**
 * The Prometheus metric family name for an OTel metric.
 *
 * `${prefix}_${name}` sanitized (see {@link sanitizeMetricName}), then the unit suffix
 * ({@link prometheusUnit}) unless the name already carries it, then `_total` for counters unless the name
 * already ends in it. Histograms get no type suffix here: `_bucket`, `_sum` and `_count` are added per
 * series by the serializer.
 *
 * Spec: the unit is added "as a suffix to the metric name unless the metric name already contains the
 * unit"; "The unit suffix comes before any type-specific suffixes"; "If the metric name for monotonic Sum
 * metric points does not end in a suffix of `_total` a suffix of `_total` MUST be added".
 * "Already contains the unit" is checked on whole `_`-separated words of the name, as the Collector does:
 * `process.memory.bytes.used` with unit `By` stays `process_memory_bytes_used`.
 *
 * @example prometheusMetricName({ name: 'rpc.server.call.duration', unit: 's', type: 'histogram' }, 'voice_agent')
 *   === 'voice_agent_rpc_server_call_duration_seconds'
 * @example prometheusMetricName({ name: 'demo.retries', unit: '{retry}', type: 'counter' }, 'voice_agent')
 *   === 'voice_agent_demo_retries_total'
 */
export function prometheusMetricName(metric: MetricNameInput, prefix = ''): string {
  let name = metric.name.replace(INVALID_METRIC_CHARS, '_');
  const unit = prometheusUnit(metric.unit, metric.type);
  if (unit !== '' && !containsWords(name, unit)) name = `${name}_${unit}`;
  if (metric.type === 'counter' && !name.endsWith('_total')) name = `${name}_total`;
  if (prefix !== '') name = `${prefix}_${name}`;
  return sanitizeMetricName(name);
}

/**
 * A valid Prometheus label name for an OTel attribute key.
 *
 * Spec ("Metric Attributes"): label keys must match `[a-zA-Z_]([a-zA-Z0-9_])*`; "unsupported Attribute names
 * MUST replace invalid characters with the `_` character. Multiple consecutive `_` characters MUST be
 * replaced with a single `_` character."
 * Then, like the Collector: a leading digit gets the prefix `key_` (`2xx` → `key_2xx`) and a leading `_` the
 * prefix `key` (`_id` → `key_id`), which also keeps us out of the `__` names Prometheus reserves for itself
 * (`__name__` → `key_name_`). Our choice for the empty key: `key_empty`, so the label stays valid and visible.
 * Also ours: the names of labels the exposition writes itself — `le` on histogram buckets, `otel_scope_name`
 * and `otel_scope_version` on every series — get the prefix `key_` too (`le` → `key_le`). Otherwise an
 * attribute of that name would put the label twice on one sample, and Prometheus rejects the whole scrape
 * ("duplicate label names"), every other metric with it.
 */
export function sanitizeLabelName(key: string): string {
  if (key === '') return 'key_empty';
  const sanitized = key.replace(INVALID_LABEL_CHARS, '_').replace(UNDERSCORE_RUNS, '_');
  if (startsWithDigit(sanitized) || EXPOSITION_LABELS.has(sanitized)) return `key_${sanitized}`;
  if (sanitized.charCodeAt(0) === 95 /* _ */) return `key${sanitized}`;
  return sanitized;
}

const LABEL_VALUE_SPECIALS = /[\\"\n]/;
const LABEL_VALUE_ESCAPES = /[\\"\n]/g;
const HELP_SPECIALS = /[\\\n]/;
const HELP_ESCAPES = /[\\\n]/g;

function escapeChar(char: string): string {
  return char === '\n' ? '\\n' : `\\${char}`;
}

/**
 * Escapes a label value for the text exposition format: `\` → `\\`, `"` → `\"`, newline → `\n`. Everything
 * else, non-ASCII included, is written as UTF-8 unchanged.
 * https://prometheus.io/docs/instrumenting/exposition_formats/#text-format-details
 */
export function escapeLabelValue(value: string): string {
  return LABEL_VALUE_SPECIALS.test(value) ? value.replace(LABEL_VALUE_ESCAPES, escapeChar) : value;
}

/**
 * Escapes `# HELP` text: `\` → `\\`, newline → `\n` (quotes stay as they are in HELP).
 * https://prometheus.io/docs/instrumenting/exposition_formats/#text-format-details
 */
export function escapeHelp(text: string): string {
  return HELP_SPECIALS.test(text) ? text.replace(HELP_ESCAPES, escapeChar) : text;
}

/**
 * A sample value (or `le` bound) as the text format writes it: `+Inf`, `-Inf`, `NaN`, integers in plain
 * decimal (also beyond 1e21, where JavaScript would switch to exponent notation), other numbers in
 * JavaScript's shortest round-trip form, which Prometheus parses exactly (Go's ParseFloat).
 */
export function formatValue(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  if (Number.isNaN(value)) return 'NaN';
  if ((value >= 1e21 || value <= -1e21) && Number.isInteger(value)) return BigInt(value).toString();
  return `${value}`;
}

function startsWithDigit(text: string): boolean {
  const code = text.charCodeAt(0);
  return code >= 48 && code <= 57;
}

/** The table's word for a unit, else the unit itself: own keys only, so `__proto__` or `toString` stay units. */
function wordFor(table: Readonly<Record<string, string>>, unit: string): string {
  return Object.hasOwn(table, unit) ? (table[unit] as string) : unit;
}

function cleanUnit(word: string): string {
  return word.replace(INVALID_METRIC_CHARS, '_').replace(UNDERSCORE_RUNS, '_').replace(/^_|_$/g, '');
}

/** Whether the `_`-separated words of `name` contain the words of `unit` consecutively. */
function containsWords(name: string, unit: string): boolean {
  const haystack = `_${name.replace(UNDERSCORE_RUNS, '_')}_`;
  return haystack.includes(`_${unit}_`);
}
