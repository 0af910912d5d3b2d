// The series an expression of this kit may read, with their labels, from docs/metrics.md (the
// generated reference of every series the SDK emits), plus the two series Prometheus and the
// OpenTelemetry exporter add: `target_info` and the scrape's own `up`.
import { readFileSync } from 'node:fs';

export const METRICS_DOC = new URL('../../../../docs/metrics.md', import.meta.url);

/** Labels on every series: the scrape's target, the instrumentation scope, the overflow marker. */
export const COMMON_LABELS = [
  'job',
  'instance',
  'otel_scope_name',
  'otel_scope_version',
  'otel_metric_overflow',
];

/** Series that are not in docs/metrics.md but are always there. */
export const EXTRA_SERIES = {
  // the resource attributes; docs/metrics.md joins on (job, instance) and group_left (service_name)
  target_info: { type: 'gauge', labels: ['job', 'instance', 'service_name'] },
  // written by Prometheus for every scrape: 1 when it succeeded
  up: { type: 'gauge', labels: ['job', 'instance'] },
};

/**
 * Every series of docs/metrics.md: a Map from series name (`…_bucket`, `…_sum`, `…_count`, a
 * counter's `…_total`, a gauge) to { family, type, labels: Set, section }.
 */
export function documentedSeries(markdown = readFileSync(METRICS_DOC, 'utf8')) {
  const series = new Map();
  let section = '';
  for (const line of markdown.split('\n')) {
    if (line.startsWith('## ')) section = line.slice(3).trim();
    if (!line.startsWith('| `')) continue;
    const cells = line.split(' | ').map((cell) => cell.replace(/^\|\s*|\s*\|$/g, '').trim());
    if (cells.length < 6) throw new Error(`docs/metrics.md: a table row with ${cells.length} cells: ${line}`);
    const [, seriesCell, typeCell, , labelsCell] = cells;
    const names = [...seriesCell.matchAll(/`([a-zA-Z_:][a-zA-Z0-9_:]*)`/g)].map((match) => match[1]);
    if (names.length === 0) throw new Error(`docs/metrics.md: no series in row: ${line}`);
    const type = typeCell.split(/<br>|\s/)[0];
    const labels =
      labelsCell === '—'
        ? []
        : labelsCell.split('<br>').map((part) => {
            const match = /^`([a-zA-Z_][a-zA-Z0-9_]*)`/.exec(part.trim());
            if (match === null)
              throw new Error(`docs/metrics.md: cannot read the label in "${part}" of: ${line}`);
            return match[1];
          });
    for (const name of names) {
      const family = type === 'histogram' ? name.replace(/_(bucket|sum|count)$/, '') : name;
      const all = new Set([...COMMON_LABELS, ...labels]);
      if (type === 'histogram' && name.endsWith('_bucket')) all.add('le');
      series.set(name, { family, type, labels: all, section });
    }
  }
  if (series.size === 0) throw new Error('docs/metrics.md: no series found; has the table format changed?');
  return series;
}

/** The documented series plus target_info and up. */
export function knownSeries(markdown) {
  const series = documentedSeries(markdown);
  for (const [name, { type, labels }] of Object.entries(EXTRA_SERIES))
    series.set(name, { family: name, type, labels: new Set(labels), section: 'Prometheus' });
  return series;
}
