// OTel → Prometheus naming: pure functions, no state but small bounded caches.
//
// The rules follow the OpenTelemetry specification "Prometheus and OpenMetrics Compatibility",
// section "OTLP Metric points to Prometheus" (below: "spec"):
// https://github.com/open-telemetry/opentelemetry-specification/blob/main/specification/compatibility/prometheus_and_openmetrics.md#otlp-metric-points-to-prometheus
// Metric names are built exactly as Prometheus' own OTLP translator builds them with underscore
// escaping and suffixes (github.com/prometheus/otlptranslator, `normalizeName`; the Collector's
// Prometheus exporters and Prometheus' OTLP receiver use it), so a direct scrape and an OTLP →
// Collector → Prometheus pipeline give the same series names, quirks included:
// - the name is split into words on every character outside `[a-zA-Z0-9:]`, `_` included, so
//   leading, trailing and repeated separators vanish;
// - a `total` word anywhere in a counter's name, and a `ratio` word anywhere in a unit-`1` gauge's
//   name, moves to the end;
// - a unit whose main part has an annotation (`By{compressed}`) loses the main part; a per-unit is
//   added even when the name already has it (`bytes_per_second` with `By/s` gets `_per_second`
//   again); units outside the translator's tables stay as written (`bit`, `/min`).
// Our deliberate differences: the prefix is split into words like the name (the translator takes its
// namespace as given), and a name with no valid character at all becomes `_` rather than an error.

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
  // The translator's word (sic), kept so both paths agree.
  TiBy: 'tibibytes',
  KBy: 'kilobytes',
  MBy: 'megabytes',
  GBy: 'gigabytes',
  TBy: 'terabytes',
  m: 'meters',
  V: 'volts',
  A: 'amperes',
  J: 'joules',
  W: 'watts',
  g: 'grams',
  Cel: 'celsius',
  Hz: 'hertz',
  '%': 'percent',
  '1': '',
};

// The denominator of "a/b" is singular ("bytes_per_second"). Note `m` is "minute" here, not "meter":
// that is the translator's table, kept so both paths agree (and `min` is not in it).
const PER_UNIT_WORDS: Readonly<Record<string, string>> = {
  s: 'second',
  m: 'minute',
  h: 'hour',
  d: 'day',
  w: 'week',
  mo: 'month',
  y: 'year',
};

const INVALID_METRIC_CHARS = /[^a-zA-Z0-9_:]/g;
const INVALID_LABEL_CHARS = /[^a-zA-Z0-9_]/g;
const UNDERSCORE_RUNS = /__+/g;
const METRIC_WORD_SEPARATORS = /[^a-zA-Z0-9:]+/;
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

/** The words of a name: runs of `[a-zA-Z0-9:]`; every other character, `_` included, separates. */
function wordsOf(text: string): string[] {
  return text.split(METRIC_WORD_SEPARATORS).filter((word) => word !== '');
}

/**
 * The unit suffixes the translator builds from an OTel (UCUM) unit: the main unit's word and the
 * per-unit's (`per_…`), each `''` when there is none. A part with an annotation (`{…}`) gives none.
 * Units the tables do not know are kept as written (case included), invalid characters replaced.
 */
function unitSuffixes(unit: string | undefined): { main: string; per: string } {
  if (unit === undefined) return { main: '', per: '' };
  const slash = unit.indexOf('/');
  const mainUnit = (slash === -1 ? unit : unit.slice(0, slash)).trim();
  const perUnit = slash === -1 ? '' : unit.slice(slash + 1).trim();
  const main = mainUnit === '' || /[{}]/.test(mainUnit) ? '' : cleanUnit(wordFor(UNIT_WORDS, mainUnit));
  const perWord = perUnit === '' || /[{}]/.test(perUnit) ? '' : wordFor(PER_UNIT_WORDS, perUnit);
  return { main, per: perWord === '' ? '' : cleanUnit(`per_${perWord}`) };
}

/**
 * The unit suffix an OTel (UCUM) unit gives a metric name of this type, or `''`: the main unit's
 * word, `per_` and the per-unit's word, and `ratio` for unit `1` on gauges only (instrumentations
 * often give counters and histograms of things unit `1`; `_ratio_total` would be absurd).
 *
 * @example prometheusUnit('By/s', 'gauge') === 'bytes_per_second'
 * @example prometheusUnit('{request}', 'counter') === ''
 */
export function prometheusUnit(unit: string | undefined, type: PrometheusMetricType): string {
  if (unit === '1') return type === 'gauge' ? 'ratio' : '';
  const { main, per } = unitSuffixes(unit);
  if (per === '' || per === 'per_') return main;
  return [main.replace(/_$/, ''), per.replace(/_$/, '')].filter((word) => word !== '').join('_');
}

/**
 * The Prometheus metric family name for an OTel metric, as the translator builds it (see the top of
 * this file): the name's words, the unit's main word unless the name has that word, the per-unit,
 * `total` last for counters, `ratio` last for unit-`1` gauges, the prefix's words first, and `_`
 * before a leading digit. Histograms get no type suffix here: `_bucket`, `_sum` and `_count` are
 * added per series by the serializer.
 *
 * Spec: the unit is added "as a suffix to the metric name unless the metric name already contains the
 * unit"; "The unit suffix comes before any type-specific suffixes"; "If the metric name for monotonic Sum
 * metric points does not end in a suffix of `_total` a suffix of `_total` MUST be added".
 *
 * @example prometheusMetricName({ name: 'rpc.server.call.duration', unit: 's', type: 'histogram' }, 'voice_agent')
 *   === 'voice_agent_rpc_server_call_duration_seconds'
 * @example prometheusMetricName({ name: 'demo.retries', unit: '{retry}', type: 'counter' }, 'voice_agent')
 *   === 'voice_agent_demo_retries_total'
 */
export function prometheusMetricName(metric: MetricNameInput, prefix = ''): string {
  let words = wordsOf(metric.name);
  let { main, per } = unitSuffixes(metric.unit);
  if (words.includes(main)) main = '';
  if (per === 'per_') per = '';
  else {
    per = per.replace(/_$/, '');
    if (words.includes(per)) per = '';
  }
  if (per !== '') main = main.replace(/_$/, '');
  if (main !== '') words.push(main);
  if (per !== '') words.push(per);
  if (metric.type === 'counter') words = [...words.filter((word) => word !== 'total'), 'total'];
  if (metric.unit === '1' && metric.type === 'gauge') {
    words = [...words.filter((word) => word !== 'ratio'), 'ratio'];
  }
  if (prefix !== '') words = [...wordsOf(prefix), ...words];
  const name = words.join('_');
  if (name === '') return '_';
  return startsWithDigit(name) ? `_${name}` : name;
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

/** The translator's `cleanUpUnit`: invalid characters to `_`, runs of `_` to one, no leading `_`. */
function cleanUnit(word: string): string {
  return word.replace(INVALID_METRIC_CHARS, '_').replace(UNDERSCORE_RUNS, '_').replace(/^_/, '');
}
