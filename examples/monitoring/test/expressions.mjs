// Every PromQL expression of the monitoring kit, with where it comes from: the targets of the
// Grafana dashboards, the recording rules and the alerting rules.
//
// For an end-to-end test (start the demo, scrape it with a real Prometheus that loads
// rules/recording.yml, evaluate each expression through the HTTP API):
//
//   import { allExpressions } from '../../monitoring/test/expressions.mjs';
//   for (const entry of allExpressions()) {
//     await query(entry.expr);                      // must not be a bad_data error
//     if (entry.kind === 'alert')
//       for (const selector of entry.innerSelectors) await query(selector);   // returns series?
//   }
//
// - Expressions that read recording rules (`entry.recordingRules` not empty) only return data once
//   Prometheus has loaded rules/recording.yml and evaluated it at least once.
// - Selectors carry their matchers, so a selector such as
//   voice_agent_gen_ai_client_operation_duration_seconds_count{error_type!="", error_type!="canceled"}
//   returns series only once such a call has happened. `metric` is the bare series name, to check
//   that the series exists at all.
// - VoiceAgentScrapeDown reads up{job="voice-agent"}: the scrape job of prometheus.yml.
import { readdirSync, readFileSync } from 'node:fs';
import { formatSelector, parsePromQL, selectorsOf } from './support/promql.mjs';
import { parseYaml } from './support/yaml.mjs';

/** examples/monitoring/, as a file URL. */
export const KIT = new URL('../', import.meta.url);

export const RECORDING_RULES_FILE = 'rules/recording.yml';
export const ALERTING_RULES_FILE = 'rules/alerts.yml';
export const DASHBOARDS_DIRECTORY = 'grafana/dashboards';

export function readKitFile(path) {
  return readFileSync(new URL(path, KIT), 'utf8');
}

/** The rules of a Prometheus rule file, each with its group and file. */
export function readRules(file) {
  const document = parseYaml(readKitFile(file));
  const rules = [];
  for (const group of document.groups) {
    for (const rule of group.rules) rules.push({ ...rule, expr: rule.expr.trim(), group: group.name, file });
  }
  return rules;
}

/** [{ record, expr, labels?, group, file }] of rules/recording.yml. */
export function recordingRules() {
  return readRules(RECORDING_RULES_FILE);
}

/** [{ alert, expr, for, labels, annotations, group, file }] of rules/alerts.yml. */
export function alertingRules() {
  return readRules(ALERTING_RULES_FILE);
}

/** The committed dashboards: [{ file, json }]. */
export function dashboards() {
  return readdirSync(new URL(`${DASHBOARDS_DIRECTORY}/`, KIT))
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const file = `${DASHBOARDS_DIRECTORY}/${name}`;
      return { file, json: JSON.parse(readKitFile(file)) };
    });
}

/** Every query target of every panel: [{ file, dashboard, panel, refId, expr, legendFormat }]. */
export function dashboardTargets() {
  const targets = [];
  for (const { file, json } of dashboards()) {
    const panels = json.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
    for (const panel of panels) {
      for (const target of panel.targets ?? []) {
        targets.push({
          file,
          dashboard: { uid: json.uid, title: json.title },
          panel: { id: panel.id, title: panel.title, type: panel.type },
          refId: target.refId,
          expr: target.expr,
          legendFormat: target.legendFormat,
        });
      }
    }
  }
  return targets;
}

/**
 * Every expression of the kit:
 * [{ id, kind: 'panel' | 'recording' | 'alert', expr, file, source, selectors, recordingRules,
 *    innerSelectors (alerts), sourceSelectors (alerts) }]
 * - `source`: for a panel { dashboard, dashboardTitle, panelId, panelTitle, refId, legendFormat };
 *   for a recording rule { group, record, labels }; for an alert { group, alert, for, labels }.
 * - `selectors`: each metric selector in the expression, in order: { metric, selector, range,
 *   recordingRule }; `selector` is an instant-vector query (`name{matchers}`, without the range).
 * - `recordingRules`: the recording rules the expression reads.
 * - `innerSelectors` (alerts): the distinct selectors of the alert expression, to query on their
 *   own while the alert is inactive; `sourceSelectors` (alerts): the same with the recording rules
 *   replaced by the selectors of their expressions, i.e. the raw voice_agent_* series behind the alert.
 */
export function allExpressions() {
  const recording = recordingRules();
  const recordNames = new Set(recording.map((rule) => rule.record));

  const describeSelectors = (expr) =>
    selectorsOf(parsePromQL(expr)).map((node) => ({
      metric: node.name,
      selector: formatSelector(node),
      range: node.range,
      recordingRule: recordNames.has(node.name),
    }));

  // the raw selectors behind a recording rule, through rules that read other rules
  const sourceSelectorsOf = (selectors, seen = new Set()) =>
    selectors.flatMap((selector) => {
      if (!selector.recordingRule) return [selector.selector];
      if (seen.has(selector.metric)) return [];
      seen.add(selector.metric);
      return recording
        .filter((rule) => rule.record === selector.metric)
        .flatMap((rule) => sourceSelectorsOf(describeSelectors(rule.expr), seen));
    });

  const entry = (fields) => {
    const selectors = describeSelectors(fields.expr);
    const recordingRulesRead = [...new Set(selectors.filter((s) => s.recordingRule).map((s) => s.metric))];
    return { ...fields, selectors, recordingRules: recordingRulesRead };
  };

  const entries = [];
  for (const target of dashboardTargets()) {
    entries.push(
      entry({
        id: `${target.file}#${target.panel.id}/${target.refId}`,
        kind: 'panel',
        expr: target.expr,
        file: target.file,
        source: {
          dashboard: target.dashboard.uid,
          dashboardTitle: target.dashboard.title,
          panelId: target.panel.id,
          panelTitle: target.panel.title,
          refId: target.refId,
          legendFormat: target.legendFormat,
        },
      }),
    );
  }
  for (const rule of recording) {
    const labels = rule.labels ?? {};
    const suffix = Object.entries(labels)
      .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
      .join(',');
    entries.push(
      entry({
        id: `${rule.file}#${rule.record}${suffix === '' ? '' : `{${suffix}}`}`,
        kind: 'recording',
        expr: rule.expr,
        file: rule.file,
        source: { group: rule.group, record: rule.record, labels },
      }),
    );
  }
  for (const rule of alertingRules()) {
    const fields = entry({
      id: `${rule.file}#${rule.alert}`,
      kind: 'alert',
      expr: rule.expr,
      file: rule.file,
      source: { group: rule.group, alert: rule.alert, for: rule.for, labels: rule.labels ?? {} },
    });
    entries.push({
      ...fields,
      innerSelectors: [...new Set(fields.selectors.map((selector) => selector.selector))],
      sourceSelectors: [...new Set(sourceSelectorsOf(fields.selectors))],
    });
  }
  return entries;
}
