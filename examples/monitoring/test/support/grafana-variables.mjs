// Template variables substituted into a query the way Grafana's Prometheus data source does it, so
// that the tests run the query Grafana would send. Grafana 11, without the
// prometheusSpecialCharsInLabelValues feature toggle (off by default):
// https://github.com/grafana/grafana/blob/v11.6.0/packages/grafana-prometheus/src/escaping.ts
// - "All" becomes the variable's allValue, inserted as is; without an allValue, every option the
//   variable lists, as a multi-value selection of them all;
// - a multi-value variable's values are regex-escaped (the backslashes doubled again, since the
//   regex sits in a PromQL string), one value alone, several as (a|b).

/** The selection that stands for Grafana's "All" (`$__all`). */
export const ALL = Symbol('All');

/** A label value escaped for a regex matcher inside a double-quoted PromQL string. */
export function regexEscape(value) {
  return value.replace(/\\/g, '\\\\\\\\').replace(/[$^*{}[\]+?.()|]/g, '\\\\$&');
}

/** The text that replaces `$name` for a selection (ALL or a list of values) of a multi-value variable. */
export function formatSelection(variable, selection, options) {
  if (selection === ALL && variable.allValue !== undefined) return variable.allValue;
  const values = (selection === ALL ? options : selection).map(regexEscape);
  return values.length === 1 ? values[0] : `(${values.join('|')})`;
}

/** `expr` with `$name` and `${name}` replaced for each name of `values`; other `$` text is left. */
export function interpolate(expr, values) {
  return expr.replace(/\$\{(\w+)\}|\$(\w+)/g, (text, braced, bare) => values.get(braced ?? bare) ?? text);
}

/** { selector, label } of `label_values(selector, label)`. */
export function parseLabelValues(query) {
  const match = /^label_values\((.+),\s*([a-zA-Z_][a-zA-Z0-9_]*)\)$/s.exec(query.trim());
  if (match === null) throw new Error(`not a label_values() query: ${query}`);
  return { selector: match[1].trim(), label: match[2] };
}

/** The query variables of a dashboard's JSON, in the order Grafana resolves them. */
export function queryVariables(json) {
  return json.templating.list.filter((variable) => variable.type === 'query');
}

/**
 * Resolves a dashboard's query variables in order, each one's label_values() query interpolated
 * with the variables before it. `labelValues(selector, label)` asks Prometheus; `selections` maps a
 * variable name to a list of values (absent: ALL). Returns { values: Map name → text, options: Map
 * name → the values the variable lists }.
 */
export async function resolveVariables(json, labelValues, selections = {}) {
  const values = new Map();
  const options = new Map();
  for (const variable of queryVariables(json)) {
    const { selector, label } = parseLabelValues(interpolate(variable.query.query, values));
    const listed = await labelValues(selector, label);
    options.set(variable.name, listed);
    values.set(variable.name, formatSelection(variable, selections[variable.name] ?? ALL, listed));
  }
  return { values, options };
}
