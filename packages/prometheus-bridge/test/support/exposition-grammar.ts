// An independent, strict reader of Prometheus text format 0.0.4 for the property tests: it reports every
// way an exposition could be refused or silently misread by Prometheus, rather than trusting the serializer.
// https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
// Go's strconv.ParseFloat as Prometheus uses it, restricted to what a writer should produce.
const VALUE = /^(?:[+-]?Inf|NaN|-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)$/;
const HISTOGRAM_SUFFIXES = ['_bucket', '_sum', '_count'] as const;

export interface ParsedSample {
  name: string;
  /** Label values unescaped; in the order written. */
  labels: Array<[string, string]>;
  value: string;
}

export interface ParsedExposition {
  samples: ParsedSample[];
  /** Families in order of their TYPE line. */
  types: Map<string, string>;
  problems: string[];
}

/** Reads `"…"` starting at `text[start]`; returns the unescaped value and the index after the closing quote. */
function readQuoted(text: string, start: number, problems: string[], line: string): [string, number] {
  let value = '';
  let index = start + 1;
  for (;;) {
    const char = text[index];
    if (char === undefined) {
      problems.push(`unterminated label value in: ${line.slice(0, 200)}`);
      return [value, index];
    }
    if (char === '"') return [value, index + 1];
    if (char === '\\') {
      const next = text[index + 1];
      if (next === '\\' || next === '"') value += next;
      else if (next === 'n') value += '\n';
      else problems.push(`invalid escape \\${next} in label value: ${line.slice(0, 200)}`);
      index += 2;
      continue;
    }
    value += char;
    index += 1;
  }
}

function parseSampleLine(line: string, problems: string[]): ParsedSample | undefined {
  const nameEnd = line.search(/[{ ]/);
  if (nameEnd <= 0) {
    problems.push(`not a sample line: ${line.slice(0, 200)}`);
    return undefined;
  }
  const name = line.slice(0, nameEnd);
  if (!METRIC_NAME.test(name)) problems.push(`invalid metric name "${name}"`);
  const labels: Array<[string, string]> = [];
  let index = nameEnd;
  if (line[index] === '{') {
    index += 1;
    while (line[index] !== '}') {
      const equals = line.indexOf('=', index);
      if (equals === -1) {
        problems.push(`bad label list in: ${line.slice(0, 200)}`);
        return undefined;
      }
      const labelName = line.slice(index, equals);
      if (!LABEL_NAME.test(labelName)) problems.push(`invalid label name "${labelName}" in ${name}`);
      if (labelName.startsWith('__')) problems.push(`reserved label name "${labelName}" in ${name}`);
      if (line[equals + 1] !== '"') {
        problems.push(`unquoted label value in: ${line.slice(0, 200)}`);
        return undefined;
      }
      const [value, after] = readQuoted(line, equals + 1, problems, line);
      labels.push([labelName, value]);
      index = after;
      if (line[index] === ',') index += 1;
      else if (line[index] !== '}') {
        problems.push(`expected , or } after a label in: ${line.slice(0, 200)}`);
        return undefined;
      }
    }
    index += 1;
  }
  if (line[index] !== ' ') {
    problems.push(`expected a space before the value in: ${line.slice(0, 200)}`);
    return undefined;
  }
  const value = line.slice(index + 1);
  if (!VALUE.test(value)) problems.push(`invalid value "${value}" in: ${line.slice(0, 200)}`);
  const seen = new Set<string>();
  for (const [labelName] of labels) {
    if (seen.has(labelName)) problems.push(`label "${labelName}" twice on one ${name} sample`);
    seen.add(labelName);
  }
  return { name, labels, value };
}

/**
 * Parses an exposition and lists its problems: invalid names or escapes, a HELP or TYPE given twice,
 * samples outside their family, a histogram bucket without `le`, and two samples Prometheus would store as
 * the same series (it ignores labels whose value is empty, so `{a=""}` and `{}` are one series).
 */
export function readExposition(text: string): ParsedExposition {
  const problems: string[] = [];
  const samples: ParsedSample[] = [];
  const types = new Map<string, string>();
  const helps = new Set<string>();
  const seriesSeen = new Set<string>();
  if (text !== '' && !text.endsWith('\n')) problems.push('the exposition does not end with a newline');
  let family: { name: string; type: string } | undefined;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('# HELP ')) {
      const [name = '', ...rest] = line.slice('# HELP '.length).split(' ');
      const help = rest.join(' ');
      if (!METRIC_NAME.test(name)) problems.push(`invalid HELP name "${name}"`);
      if (helps.has(name)) problems.push(`second HELP for ${name}`);
      if (types.has(name)) problems.push(`HELP for ${name} after its TYPE`);
      helps.add(name);
      if (!/^(?:[^\\]|\\[\\n])*$/.test(help)) problems.push(`invalid escape in HELP of ${name}`);
      continue;
    }
    if (line.startsWith('# TYPE ')) {
      const [name = '', type = '', ...rest] = line.slice('# TYPE '.length).split(' ');
      if (!METRIC_NAME.test(name)) problems.push(`invalid TYPE name "${name}"`);
      if (!['counter', 'gauge', 'histogram'].includes(type) || rest.length > 0) {
        problems.push(`bad TYPE line: ${line.slice(0, 200)}`);
      }
      if (types.has(name)) problems.push(`second TYPE for ${name}`);
      types.set(name, type);
      family = { name, type };
      continue;
    }
    if (line.startsWith('#')) continue;
    const sample = parseSampleLine(line, problems);
    if (sample === undefined) continue;
    samples.push(sample);
    if (family === undefined) {
      problems.push(`sample ${sample.name} before any TYPE`);
    } else if (family.type === 'histogram') {
      const suffix = HISTOGRAM_SUFFIXES.find((candidate) => sample.name === `${family?.name}${candidate}`);
      if (suffix === undefined) problems.push(`sample ${sample.name} inside histogram ${family.name}`);
      const hasLe = sample.labels.some(([labelName]) => labelName === 'le');
      if (suffix === '_bucket' && !hasLe) problems.push(`bucket of ${family.name} without le`);
    } else if (sample.name !== family.name) {
      problems.push(`sample ${sample.name} inside ${family.type} ${family.name}`);
    }
    const identity = JSON.stringify([
      sample.name,
      sample.labels.filter(([, value]) => value !== '').sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    ]);
    if (seriesSeen.has(identity)) {
      problems.push(`duplicate series (as Prometheus stores it): ${identity.slice(0, 300)}`);
    }
    seriesSeen.add(identity);
  }
  return { samples, types, problems };
}
