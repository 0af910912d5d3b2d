// Checks a parsed PromQL expression against the known series: every metric name exists, every
// label in a matcher, a by/without/on/ignoring/group list or a label_replace source is carried by
// the series below it, rate() and increase() read counters or histogram samples, ranges sit under
// range functions, and one-to-one matches without on/ignoring compare equal label sets.
import { SET_OPERATORS } from './promql.mjs';

const RANGE_FUNCTIONS = new Set([
  'rate',
  'irate',
  'increase',
  'delta',
  'idelta',
  'deriv',
  'predict_linear',
  'changes',
  'resets',
  'holt_winters',
  'double_exponential_smoothing',
  'avg_over_time',
  'min_over_time',
  'max_over_time',
  'sum_over_time',
  'count_over_time',
  'quantile_over_time',
  'stddev_over_time',
  'stdvar_over_time',
  'last_over_time',
  'present_over_time',
  'absent_over_time',
  'mad_over_time',
]);
const COUNTER_FUNCTIONS = new Set(['rate', 'irate', 'increase', 'resets']);
const SCALAR_FUNCTIONS = new Set([
  'time',
  'scalar',
  'pi',
  'minute',
  'hour',
  'day_of_month',
  'day_of_week',
  'month',
  'year',
]);

/**
 * Analyses `tree` with `resolve(name)` → { labels: Set | null, exact: boolean, type? } | undefined.
 * Returns { problems: string[], labels: Set | null, exact: boolean, kind } for the whole expression;
 * `labels` are the labels its result may carry (null when unknown), `exact` when it carries exactly those.
 */
export function analyse(tree, resolve) {
  const problems = [];
  const vector = (labels, exact = false) => ({ kind: 'vector', labels, exact });
  const scalar = { kind: 'scalar', labels: new Set(), exact: true };

  const describe = (labels) => (labels === null ? '?' : [...labels].sort().join(', '));
  const requireLabels = (wanted, available, where) => {
    if (available === null) return;
    for (const label of wanted)
      if (!available.has(label))
        problems.push(`${where}: label ${label} is not on the series below (${describe(available)})`);
  };

  function labelsOf(node, inRangeFunction = false) {
    switch (node.type) {
      case 'number':
        return scalar;
      case 'string':
        return { kind: 'string', labels: new Set(), exact: true };
      case 'paren':
      case 'unary':
        return labelsOf(node.expr);
      case 'subquery':
        if (!inRangeFunction) problems.push('a subquery outside a range function');
        return labelsOf(node.expr);
      case 'selector':
        return selector(node, inRangeFunction);
      case 'call':
        return call(node);
      case 'aggregate':
        return aggregate(node);
      case 'binary':
        return binary(node);
      default:
        throw new Error(`unknown node ${node.type}`);
    }
  }

  function selector(node, inRangeFunction) {
    if (node.range !== undefined && !inRangeFunction)
      problems.push(`${node.name}[${node.range}] outside a range function`);
    if (node.range === undefined && inRangeFunction) problems.push(`${node.name} needs a range here`);
    if (node.name === undefined) {
      problems.push('a selector without a metric name');
      return vector(null);
    }
    const known = resolve(node.name);
    if (known === undefined) {
      problems.push(`unknown series ${node.name}`);
      return vector(null);
    }
    for (const { label } of node.matchers)
      if (label !== '__name__' && known.labels !== null && !known.labels.has(label))
        problems.push(
          `${node.name}{${label}…}: label ${label} is not on ${node.name} (${describe(known.labels)})`,
        );
    return vector(known.labels, known.exact);
  }

  function call(node) {
    const { func } = node;
    const args = node.args.map((arg, index) => labelsOf(arg, index === 0 && RANGE_FUNCTIONS.has(func)));
    if (RANGE_FUNCTIONS.has(func) && COUNTER_FUNCTIONS.has(func)) {
      const arg = node.args[0];
      if (arg?.type === 'selector' && arg.name !== undefined) {
        const known = resolve(arg.name);
        const type = known?.type;
        const name = arg.name;
        const countable =
          type === 'counter' ||
          (type === 'histogram' && /_(bucket|sum|count)$/.test(name)) ||
          type === undefined;
        if (!countable) problems.push(`${func}() over ${name}, a ${type}: use it as is, or deriv()/delta()`);
      }
    }
    const first = args.find((arg) => arg.kind === 'vector');
    switch (func) {
      case 'histogram_quantile': {
        const buckets = args[1];
        if (buckets.labels !== null && !buckets.labels.has('le'))
          problems.push(`histogram_quantile over series without le (${describe(buckets.labels)})`);
        return vector(buckets.labels === null ? null : without(buckets.labels, ['le']), buckets.exact);
      }
      case 'label_replace': {
        const [, destination, , sourceLabel] = node.args;
        if (sourceLabel.value !== '') requireLabels([sourceLabel.value], args[0].labels, 'label_replace');
        return vector(
          args[0].labels === null ? null : union(args[0].labels, [destination.value]),
          args[0].exact,
        );
      }
      case 'label_join': {
        const [, destination, , ...sources] = node.args;
        requireLabels(
          sources.map((source) => source.value),
          args[0].labels,
          'label_join',
        );
        return vector(
          args[0].labels === null ? null : union(args[0].labels, [destination.value]),
          args[0].exact,
        );
      }
      case 'vector':
        return vector(new Set(), true);
      case 'absent':
      case 'absent_over_time': {
        const inner = node.args[0];
        const equal = inner.type === 'selector' ? inner.matchers.filter((matcher) => matcher.op === '=') : [];
        return vector(new Set(equal.map((matcher) => matcher.label)), true);
      }
      default:
        if (SCALAR_FUNCTIONS.has(func)) return scalar;
        return first ?? scalar;
    }
  }

  function aggregate(node) {
    if (node.param !== undefined) labelsOf(node.param);
    const inner = labelsOf(node.expr);
    if (node.grouping !== undefined)
      requireLabels(
        node.grouping.labels,
        inner.labels,
        `${node.op} ${node.grouping.mode} (${node.grouping.labels.join(', ')})`,
      );
    if (['topk', 'bottomk', 'limitk', 'limit_ratio'].includes(node.op))
      return vector(inner.labels, inner.exact);
    let labels;
    let exact = true;
    if (node.grouping === undefined) labels = new Set();
    else if (node.grouping.mode === 'by') labels = new Set(node.grouping.labels);
    else {
      labels = inner.labels === null ? null : without(inner.labels, node.grouping.labels);
      exact = inner.exact;
    }
    if (node.op === 'count_values' && labels !== null) labels = union(labels, [node.param.value]);
    return vector(labels, exact);
  }

  function binary(node) {
    const lhs = labelsOf(node.lhs);
    const rhs = labelsOf(node.rhs);
    if (lhs.kind !== 'vector' && rhs.kind !== 'vector') return scalar;
    if (lhs.kind !== 'vector') return rhs;
    if (rhs.kind !== 'vector') return lhs;
    const { matching } = node;
    const where = `${node.op} ${matching?.mode ?? ''}`.trim();
    if (matching?.mode === 'on') {
      requireLabels(matching.labels, lhs.labels, `${where} (${matching.labels.join(', ')}), left side`);
      requireLabels(matching.labels, rhs.labels, `${where} (${matching.labels.join(', ')}), right side`);
    } else if (matching?.mode === 'ignoring') {
      for (const label of matching.labels)
        if (lhs.labels !== null && rhs.labels !== null && !lhs.labels.has(label) && !rhs.labels.has(label))
          problems.push(`${where} (${label}): on neither side`);
    }
    if (matching?.group === 'left') requireLabels(matching.include, rhs.labels, 'group_left');
    if (matching?.group === 'right') requireLabels(matching.include, lhs.labels, 'group_right');
    if (SET_OPERATORS.has(node.op)) {
      if (node.op === 'or')
        return vector(
          lhs.labels === null || rhs.labels === null ? null : union(lhs.labels, rhs.labels),
          false,
        );
      return lhs;
    }
    if (matching === undefined && lhs.exact && rhs.exact && !sameSet(lhs.labels, rhs.labels))
      problems.push(
        `${node.op} between different label sets (${describe(lhs.labels)}) and (${describe(rhs.labels)}) without on/ignoring: nothing would match`,
      );
    if (matching?.group === 'left')
      return vector(lhs.labels && union(lhs.labels, matching.include), lhs.exact);
    if (matching?.group === 'right')
      return vector(rhs.labels && union(rhs.labels, matching.include), rhs.exact);
    // one-to-one with on (…) keeps only those labels, comparisons included (Prometheus resultMetric)
    if (matching?.mode === 'on') return vector(new Set(matching.labels), true);
    if (matching?.mode === 'ignoring')
      return vector(lhs.labels && without(lhs.labels, matching.labels), lhs.exact);
    return lhs;
  }

  const result = labelsOf(tree);
  return { problems, ...result };
}

function union(set, more) {
  return new Set([...set, ...more]);
}

function without(set, removed) {
  const result = new Set(set);
  for (const label of removed) result.delete(label);
  return result;
}

function sameSet(a, b) {
  return a !== null && b !== null && a.size === b.size && [...a].every((label) => b.has(label));
}
