// Renders the generated parts of the docs from the code that defines them:
// docs/metrics.md from @va/semconv (names through the bridge's naming rules, so the Prometheus
// names shown are the ones a scrape returns), and the variable table of docs/configuration.md
// from the lists of environment variables of the packages that read them.
import { OPENAI_VARIABLES } from '@va/instrumentation-openai';
import { REGISTER_VARIABLES } from '@va/otel-register/variables';
import { OTEL_SDK_VARIABLES, VA_PROMETHEUS_PREFIX } from '@va/otel-sdk';
import { prometheusMetricName, sanitizeLabelName } from '@va/prometheus-bridge/naming';
import { exportedNameOf, METRIC_GROUPS, prometheusTypeOf } from '@va/semconv';

const PREFIX = VA_PROMETHEUS_PREFIX.defaultValue;
const TABLE_START = '<!-- generated: environment variables (npm run docs) -->';
const TABLE_END = '<!-- end of generated table -->';
// One table, a package's rows together, in the order the packages build on each other.
const ENVIRONMENT_VARIABLES = [...OTEL_SDK_VARIABLES, ...REGISTER_VARIABLES, ...OPENAI_VARIABLES];

function cell(text) {
  return String(text).replaceAll('|', '\\|').replaceAll('\n', ' ');
}

function seriesOf(metric) {
  const type = prometheusTypeOf(metric.kind);
  const name = prometheusMetricName({ name: exportedNameOf(metric), unit: metric.unit, type }, PREFIX);
  return type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name];
}

function attributesOf(metric) {
  if (metric.attributes.length === 0) return '—';
  return metric.attributes
    .map((attribute) => {
      const values = attribute.values ? ` (${attribute.values.join(', ')})` : '';
      const when = attribute.requirement === 'required' ? '' : ` *${attribute.requirement}*`;
      return `\`${sanitizeLabelName(attribute.key)}\`${when}${values}`;
    })
    .join('<br>');
}

export function renderMetricsDoc() {
  const lines = [
    '# Metrics reference',
    '',
    '<!-- Generated from @va/semconv by `npm run docs`; a test fails when this file is stale. Edit packages/semconv, not this file. -->',
    '',
    `Every metric @va emits, under its OpenTelemetry name (what OTLP receivers see) and its Prometheus series (what \`/metrics\` serves, with the default prefix \`${PREFIX}_\`). Prometheus names follow the OpenTelemetry [Prometheus compatibility spec](https://opentelemetry.io/docs/specs/otel/compatibility/prometheus_and_openmetrics/): dots become \`_\`, the unit becomes a suffix (\`s\` → \`_seconds\`, \`By\` → \`_bytes\`, \`1\` on a gauge → \`_ratio\`, \`{…}\` dropped), counters end in \`_total\`. Label names are the attribute keys with \`.\` turned into \`_\`.`,
    '',
    'Every series also carries `otel_scope_name` and `otel_scope_version`, the instrumentation that recorded it. Resource attributes (`service.name` …) are on the single `target_info` series: join them in PromQL with `* on (job, instance) group_left (service_name) target_info`.',
    '',
    'When a metric exceeds its cardinality limit (`VA_METRICS_CARDINALITY_LIMIT`, default 2000 series), further attribute sets are added up in one series labelled `otel_metric_overflow="true"`.',
    '',
  ];
  for (const group of METRIC_GROUPS) {
    lines.push(`## ${group.title}`, '');
    if (group.note !== undefined) lines.push(group.note, '');
    lines.push('| OpenTelemetry name | Prometheus series | type | unit | labels | meaning |');
    lines.push('|---|---|---|---|---|---|');
    for (const metric of group.metrics) {
      const type = prometheusTypeOf(metric.kind);
      const renamed = metric.exportName ? `<br>exported as \`${metric.exportName}\`` : '';
      const buckets = metric.buckets ? `<br>buckets: ${metric.buckets.join(', ')}` : '';
      const meaning = `${metric.description}${metric.exportReason ? ` ${metric.exportReason}` : ''} Recorded by \`${metric.recordedBy}\`; ${metric.stability} in the conventions.`;
      lines.push(
        `| \`${metric.name}\`${renamed} | ${seriesOf(metric)
          .map((series) => `\`${series}\``)
          .join(
            '<br>',
          )} | ${type === metric.kind ? type : `${type} (${metric.kind})`}${buckets} | \`${cell(metric.unit)}\` | ${attributesOf(metric)} | ${cell(meaning)} |`,
      );
    }
    lines.push('');
  }
  return `${lines.join('\n')}`;
}

export function renderVariablesTable() {
  const lines = ['| variable | default | accepted values | what it does |', '|---|---|---|---|'];
  for (const variable of ENVIRONMENT_VARIABLES) {
    lines.push(
      `| \`${variable.name}\` | ${cell(variable.defaultText)} | ${cell(variable.expected)} | ${cell(variable.description)} |`,
    );
  }
  return lines.join('\n');
}

/** The configuration doc with its generated table replaced; the prose around it is hand-written. */
export function renderConfigurationDoc(current) {
  const start = current.indexOf(TABLE_START);
  const end = current.indexOf(TABLE_END);
  if (start === -1 || end === -1 || end < start) {
    throw new Error(`docs/configuration.md must contain the markers ${TABLE_START} and ${TABLE_END}`);
  }
  return `${current.slice(0, start + TABLE_START.length)}\n${renderVariablesTable()}\n${current.slice(end)}`;
}
