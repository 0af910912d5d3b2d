// A small PromQL parser: enough of the grammar for the expressions of this kit (selectors with
// matchers, ranges, subqueries, offset/@, functions, aggregations with by/without before or after,
// binary operators with bool/on/ignoring/group_left/group_right, precedence as in Prometheus).
// promtool has no parse-to-JSON, and a regex cannot tell `by (label)` from a metric name. The
// resulting tree gives the selectors of an expression and the labels each part of it carries.

export class PromQLSyntaxError extends Error {}

const AGGREGATIONS = new Set([
  'sum',
  'avg',
  'count',
  'min',
  'max',
  'group',
  'stddev',
  'stdvar',
  'topk',
  'bottomk',
  'count_values',
  'quantile',
  'limitk',
  'limit_ratio',
]);
const AGGREGATIONS_WITH_PARAMETER = new Set([
  'topk',
  'bottomk',
  'count_values',
  'quantile',
  'limitk',
  'limit_ratio',
]);

// binding power, lowest first; `^` is right-associative
const BINARY = {
  or: 1,
  and: 2,
  unless: 2,
  '==': 3,
  '!=': 3,
  '<=': 3,
  '<': 3,
  '>=': 3,
  '>': 3,
  '+': 4,
  '-': 4,
  '*': 5,
  '/': 5,
  '%': 5,
  atan2: 5,
  '^': 6,
};
const COMPARISONS = new Set(['==', '!=', '<=', '<', '>=', '>']);
const SET_OPERATORS = new Set(['and', 'or', 'unless']);

const DURATION = /^(?:[0-9]+(?:ms|[smhdwy]))+/;
const NUMBER = /^(?:0[xX][0-9a-fA-F]+|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)/;
const IDENTIFIER = /^[a-zA-Z_][a-zA-Z0-9_:]*/;
const OPERATORS = ['==', '!=', '<=', '>=', '=~', '!~', '<', '>', '=', '+', '-', '*', '/', '%', '^'];

/** The string literal at the start of `rest`: { value, length }. */
function stringLiteral(rest, at, text) {
  const quote = rest[0];
  let j = 1;
  let value = '';
  while (j < rest.length && rest[j] !== quote) {
    if (rest[j] === '\\' && quote !== '`') {
      const code = rest[j + 1];
      value += { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'" }[code] ?? `\\${code}`;
      j += 2;
    } else {
      value += rest[j];
      j += 1;
    }
  }
  if (j >= rest.length) throw new PromQLSyntaxError(`unterminated string at ${at} in ${text}`);
  return { value, length: j + 1 };
}

/** One token at the start of `rest`: { kind, value, length }. */
function token(rest, at, text) {
  for (const [kind, pattern] of [
    ['duration', DURATION],
    ['number', NUMBER],
    ['identifier', IDENTIFIER],
  ]) {
    const match = pattern.exec(rest);
    if (match !== null) return { kind, value: match[0], length: match[0].length };
  }
  if (rest[0] === '"' || rest[0] === "'" || rest[0] === '`')
    return { kind: 'string', ...stringLiteral(rest, at, text) };
  if ('(){}[],:@'.includes(rest[0])) return { kind: rest[0], value: rest[0], length: 1 };
  const operator = OPERATORS.find((candidate) => rest.startsWith(candidate));
  if (operator === undefined)
    throw new PromQLSyntaxError(`unexpected ${JSON.stringify(rest[0])} at ${at} in ${text}`);
  return { kind: 'operator', value: operator, length: operator.length };
}

function tokenize(text) {
  const tokens = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const space = /^(?:\s+|#[^\n]*)/.exec(rest);
    if (space !== null) {
      i += space[0].length;
      continue;
    }
    const { kind, value, length } = token(rest, i, text);
    tokens.push({ kind, value, at: i });
    i += length;
  }
  tokens.push({ kind: 'end', value: '', at: text.length });
  return tokens;
}

/**
 * Parses a PromQL expression into a tree of nodes:
 * { type: 'number' | 'string', value }, { type: 'selector', name, matchers: [{ label, op, value }],
 * range?, offset? }, { type: 'subquery', expr, range, step }, { type: 'call', func, args },
 * { type: 'aggregate', op, param?, grouping: { mode: 'by' | 'without', labels } | undefined, expr },
 * { type: 'binary', op, lhs, rhs, bool, matching: { mode: 'on' | 'ignoring', labels, group?, include } },
 * { type: 'unary', op, expr }, { type: 'paren', expr }.
 */
export function parsePromQL(text) {
  const tokens = tokenize(text);
  let position = 0;
  const peek = (offset = 0) => tokens[position + offset];
  const fail = (message) => {
    const token = peek();
    throw new PromQLSyntaxError(`${message} at ${token.at} (${JSON.stringify(token.value)}) in: ${text}`);
  };
  const next = () => tokens[position++];
  const expect = (kind, value) => {
    const token = peek();
    if (token.kind !== kind || (value !== undefined && token.value !== value))
      fail(`expected ${value ?? kind}`);
    return next();
  };
  const isKeyword = (token, word) => token.kind === 'identifier' && token.value === word;

  function binaryOperator() {
    const token = peek();
    if (token.kind === 'operator' && token.value in BINARY) return token.value;
    if (token.kind === 'identifier' && ['and', 'or', 'unless', 'atan2'].includes(token.value))
      return token.value;
    return undefined;
  }

  function labelList() {
    expect('(');
    const labels = [];
    while (peek().kind !== ')') {
      labels.push(expect('identifier').value);
      if (peek().kind === ',') next();
      else break;
    }
    expect(')');
    return labels;
  }

  function expression(minimumPower = 0) {
    let lhs = unary();
    for (;;) {
      const op = binaryOperator();
      if (op === undefined) break;
      const power = BINARY[op];
      if (power < minimumPower) break;
      next();
      let bool = false;
      if (isKeyword(peek(), 'bool')) {
        if (!COMPARISONS.has(op)) fail('bool after a non-comparison operator');
        next();
        bool = true;
      }
      let matching;
      if (isKeyword(peek(), 'on') || isKeyword(peek(), 'ignoring')) {
        const mode = next().value;
        matching = { mode, labels: labelList(), group: undefined, include: [] };
        if (isKeyword(peek(), 'group_left') || isKeyword(peek(), 'group_right')) {
          matching.group = next().value === 'group_left' ? 'left' : 'right';
          if (peek().kind === '(') matching.include = labelList();
        }
      }
      const rhs = expression(op === '^' ? power : power + 1);
      lhs = { type: 'binary', op, lhs, rhs, bool, matching };
    }
    return lhs;
  }

  function unary() {
    const token = peek();
    if (token.kind === 'operator' && (token.value === '-' || token.value === '+')) {
      next();
      // binds tighter than * and looser than ^: -a * b is (-a) * b, -a ^ b is -(a ^ b)
      return { type: 'unary', op: token.value, expr: expression(BINARY['^']) };
    }
    return postfix(primary());
  }

  function postfix(node) {
    for (;;) {
      const token = peek();
      if (token.kind === '[') {
        next();
        const range = expect('duration').value;
        if (peek().kind === ':') {
          next();
          const step = peek().kind === 'duration' ? next().value : undefined;
          expect(']');
          node = { type: 'subquery', expr: node, range, step };
        } else {
          expect(']');
          if (node.type !== 'selector' || node.range !== undefined)
            fail('range on something other than a selector');
          node = { ...node, range };
        }
      } else if (isKeyword(token, 'offset')) {
        next();
        let sign = '';
        if (peek().kind === 'operator' && peek().value === '-') {
          next();
          sign = '-';
        }
        node = { ...node, offset: sign + expect('duration').value };
      } else if (token.kind === '@') {
        next();
        const at = peek().kind === 'number' ? next().value : `${expect('identifier').value}()`;
        if (at.endsWith('()')) {
          expect('(');
          expect(')');
        }
        node = { ...node, at };
      } else return node;
    }
  }

  function primary() {
    const token = peek();
    if (token.kind === '(') {
      next();
      const expr = expression();
      expect(')');
      return { type: 'paren', expr };
    }
    if (token.kind === 'number') return { type: 'number', value: Number(next().value) };
    if (token.kind === 'duration') fail('a duration outside a range');
    if (token.kind === 'string') return { type: 'string', value: next().value };
    if (token.kind === '{') return selector(undefined);
    if (token.kind !== 'identifier') fail('expected an expression');
    const name = token.value;
    if (name === 'Inf' || name === 'NaN') {
      next();
      return { type: 'number', value: name === 'Inf' ? Number.POSITIVE_INFINITY : Number.NaN };
    }
    if (
      AGGREGATIONS.has(name) &&
      (peek(1).kind === '(' || isKeyword(peek(1), 'by') || isKeyword(peek(1), 'without'))
    )
      return aggregate();
    if (peek(1).kind === '(') {
      next();
      expect('(');
      const args = [];
      while (peek().kind !== ')') {
        args.push(expression());
        if (peek().kind === ',') next();
        else break;
      }
      expect(')');
      return { type: 'call', func: name, args };
    }
    next();
    return selector(name);
  }

  function aggregate() {
    const op = next().value;
    let grouping;
    if (isKeyword(peek(), 'by') || isKeyword(peek(), 'without'))
      grouping = { mode: next().value, labels: labelList() };
    expect('(');
    let param;
    if (AGGREGATIONS_WITH_PARAMETER.has(op)) {
      param = expression();
      expect(',');
    }
    const expr = expression();
    expect(')');
    if (grouping === undefined && (isKeyword(peek(), 'by') || isKeyword(peek(), 'without')))
      grouping = { mode: next().value, labels: labelList() };
    return { type: 'aggregate', op, param, grouping, expr };
  }

  function selector(name) {
    const matchers = [];
    if (peek().kind === '{') {
      next();
      while (peek().kind !== '}') {
        const label = expect('identifier').value;
        const op = expect('operator').value;
        if (!['=', '!=', '=~', '!~'].includes(op)) fail('expected a label matcher operator');
        matchers.push({ label, op, value: expect('string').value });
        if (peek().kind === ',') next();
        else break;
      }
      expect('}');
    }
    if (name === undefined && matchers.length === 0) fail('empty selector');
    return { type: 'selector', name, matchers };
  }

  const tree = expression();
  if (peek().kind !== 'end') fail('unexpected token');
  return tree;
}

/** Every node of the tree, depth first. */
export function* walk(node) {
  yield node;
  switch (node.type) {
    case 'paren':
    case 'unary':
    case 'subquery':
      yield* walk(node.expr);
      break;
    case 'call':
      for (const arg of node.args) yield* walk(arg);
      break;
    case 'aggregate':
      if (node.param !== undefined) yield* walk(node.param);
      yield* walk(node.expr);
      break;
    case 'binary':
      yield* walk(node.lhs);
      yield* walk(node.rhs);
      break;
    default:
  }
}

/** The vector selectors of an expression, in order of appearance. */
export function selectorsOf(tree) {
  return [...walk(tree)].filter((node) => node.type === 'selector');
}

/** A selector as an instant-vector query: `name{label="value", …}`, without range or offset. */
export function formatSelector(node) {
  const matchers = node.matchers.map(({ label, op, value }) => `${label}${op}${JSON.stringify(value)}`);
  const braces = matchers.length > 0 ? `{${matchers.join(', ')}}` : '';
  return `${node.name ?? ''}${braces}`;
}

export { SET_OPERATORS };
