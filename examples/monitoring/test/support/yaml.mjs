// A strict reader for the YAML this kit writes: Prometheus rule files, promtool tests, Grafana
// provisioning and docker-compose.yml. No YAML library is a dependency of the repository, and these
// files use a small part of YAML: block mappings and sequences, plain, quoted and block (| >)
// scalars, comments, and one-line flow sequences of scalars. Anything else (anchors, multi-line
// plain or quoted scalars, flow mappings, tags) is an error, never a silent misreading.

export class YamlSubsetError extends Error {}

const PLAIN_NULL = /^(?:~|null|Null|NULL)?$/;
const PLAIN_BOOL = /^(?:true|True|TRUE|false|False|FALSE)$/;
const PLAIN_INT = /^[-+]?(?:0|[1-9][0-9]*)$/;
const PLAIN_FLOAT = /^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][-+]?[0-9]+)?$/;

/** Parses `text`; throws YamlSubsetError (with the line number) on anything outside the subset. */
export function parseYaml(text) {
  return new Reader(text).document();
}

class Reader {
  constructor(text) {
    this.lines = text.replace(/\r\n?/g, '\n').split('\n');
    this.index = 0;
  }

  fail(message, index = this.index) {
    throw new YamlSubsetError(`line ${index + 1}: ${message}: ${JSON.stringify(this.lines[index] ?? '')}`);
  }

  /** The next line with content (blank and comment lines skipped), without consuming it. */
  peek() {
    while (this.index < this.lines.length) {
      const raw = this.lines[this.index];
      const content = raw.trimStart();
      if (content === '' || content.startsWith('#') || (content === '---' && this.index === 0)) {
        this.index += 1;
        continue;
      }
      if (raw.slice(0, raw.length - content.length).includes('\t')) this.fail('tab in indentation');
      return { indent: raw.length - content.length, content };
    }
    return undefined;
  }

  document() {
    const first = this.peek();
    if (first === undefined) return null;
    const value = this.block(first.indent);
    const rest = this.peek();
    if (rest !== undefined) this.fail('unexpected content');
    return value;
  }

  block(indent) {
    const line = this.peek();
    if (isSequenceItem(line.content)) return this.sequence(indent);
    return this.mapping(indent);
  }

  sequence(indent) {
    const items = [];
    for (let line = this.peek(); line !== undefined; line = this.peek()) {
      if (line.indent < indent) break;
      if (line.indent > indent) this.fail('unexpected indentation');
      if (!isSequenceItem(line.content)) break;
      const rest = line.content.slice(1).trimStart();
      const offset = indent + (line.content.length - rest.length);
      if (rest === '' || rest.startsWith('#')) {
        this.index += 1;
        const next = this.peek();
        items.push(next !== undefined && next.indent > indent ? this.block(next.indent) : null);
      } else if (isSequenceItem(rest) || mappingKey(rest) !== undefined) {
        // "- key: value" or "- - item": a block node starting on this line, at the column of `rest`
        this.lines[this.index] = ' '.repeat(offset) + rest;
        items.push(this.block(offset));
      } else {
        this.index += 1;
        items.push(this.inline(rest, indent));
      }
    }
    return items;
  }

  mapping(indent) {
    const result = {};
    for (let line = this.peek(); line !== undefined; line = this.peek()) {
      if (line.indent < indent) break;
      if (line.indent > indent) this.fail('unexpected indentation (a multi-line scalar?)');
      if (isSequenceItem(line.content)) break;
      const entry = mappingKey(line.content);
      if (entry === undefined) this.fail('expected "key: value"');
      if (Object.hasOwn(result, entry.key)) this.fail(`duplicate key ${entry.key}`);
      this.index += 1;
      if (entry.rest === '' || entry.rest.startsWith('#')) {
        const next = this.peek();
        if (next !== undefined && next.indent > indent) result[entry.key] = this.block(next.indent);
        else if (next !== undefined && next.indent === indent && isSequenceItem(next.content))
          result[entry.key] = this.sequence(indent);
        else result[entry.key] = null;
      } else {
        result[entry.key] = this.inline(entry.rest, indent);
      }
    }
    return result;
  }

  /** A value written after "key:" or "- " on the line just consumed. */
  inline(text, parentIndent) {
    const at = this.index - 1;
    if (text.startsWith('|') || text.startsWith('>')) return this.blockScalar(text, parentIndent, at);
    if (text.startsWith('&') || text.startsWith('*') || text.startsWith('!'))
      this.fail('anchors, aliases and tags are not supported', at);
    if (text.startsWith('{')) {
      if (/^\{\s*\}\s*(#.*)?$/.test(text)) return {};
      this.fail('flow mappings are not supported', at);
    }
    if (text.startsWith('[')) return this.flowSequence(text, at);
    const { value, rest } = scalar(text, at, this);
    if (rest.trim() !== '' && !rest.trimStart().startsWith('#'))
      this.fail('unexpected text after a value', at);
    return value;
  }

  flowSequence(text, at) {
    const items = [];
    let rest = text.slice(1).trimStart();
    if (rest.startsWith(']')) rest = rest.slice(1);
    else {
      for (;;) {
        if (rest.startsWith('[') || rest.startsWith('{'))
          this.fail('nested flow collections are not supported', at);
        const item = scalar(rest, at, this, /[,\]]/);
        items.push(item.value);
        rest = item.rest.trimStart();
        if (rest.startsWith(',')) rest = rest.slice(1).trimStart();
        else if (rest.startsWith(']')) {
          rest = rest.slice(1);
          break;
        } else this.fail('unterminated flow sequence (one line only)', at);
      }
    }
    if (rest.trim() !== '' && !rest.trimStart().startsWith('#'))
      this.fail('unexpected text after a value', at);
    return items;
  }

  blockScalar(header, parentIndent, at) {
    const match = /^([|>])([-+]?)([1-9]?)\s*(#.*)?$/.exec(header);
    if (match === null) this.fail('bad block scalar header', at);
    const [, style, chomping, explicit] = match;
    const lines = [];
    let blockIndent = explicit === '' ? undefined : parentIndent + Number(explicit);
    while (this.index < this.lines.length) {
      const raw = this.lines[this.index];
      const content = raw.trimStart();
      if (content === '') {
        lines.push('');
        this.index += 1;
        continue;
      }
      const indent = raw.length - content.length;
      if (blockIndent === undefined) {
        if (indent <= parentIndent) break;
        blockIndent = indent;
      }
      if (indent < blockIndent) break;
      lines.push(raw.slice(blockIndent));
      this.index += 1;
    }
    let trailing = 0;
    while (lines.length > 0 && lines[lines.length - 1] === '') {
      lines.pop();
      trailing += 1;
    }
    // blank lines that ended the block belong to what follows, except under "keep" chomping
    let body;
    if (style === '|') body = lines.join('\n');
    else {
      body = '';
      for (const [i, line] of lines.entries()) {
        if (i === 0) body = line;
        else if (line === '' || lines[i - 1] === '' || /^\s/.test(line) || /^\s/.test(lines[i - 1]))
          body += `\n${line}`;
        else body += ` ${line}`;
      }
    }
    if (lines.length === 0) return '';
    if (chomping === '-') return body;
    if (chomping === '+') return `${body}\n${'\n'.repeat(trailing)}`;
    return `${body}\n`;
  }
}

function isSequenceItem(content) {
  return content === '-' || content.startsWith('- ');
}

/** `key: rest` with a plain or quoted key, else undefined. */
function mappingKey(content) {
  let key;
  let rest;
  if (content.startsWith('"') || content.startsWith("'")) {
    const quote = content[0];
    const end = findClosingQuote(content, quote);
    if (end < 0) return undefined;
    key = unquote(content.slice(0, end + 1));
    rest = content.slice(end + 1);
    if (!/^\s*:(\s|$)/.test(rest)) return undefined;
    rest = rest.replace(/^\s*:/, '');
  } else {
    const match = /^([^\s#:\-?[\]{},&*!|>'"%@`][^#]*?|-[^\s#][^#]*?)\s*:(?:\s+|$)(.*)$/.exec(content);
    if (match === null) return undefined;
    key = match[1];
    rest = match[2];
  }
  return { key, rest: rest.trim() };
}

function findClosingQuote(text, quote) {
  for (let i = 1; i < text.length; i += 1) {
    if (quote === '"' && text[i] === '\\') i += 1;
    else if (text[i] === quote) {
      if (quote === "'" && text[i + 1] === "'") i += 1;
      else return i;
    }
  }
  return -1;
}

function unquote(token) {
  if (token.startsWith("'")) return token.slice(1, -1).replaceAll("''", "'");
  let result = '';
  for (let i = 1; i < token.length - 1; i += 1) {
    const char = token[i];
    if (char !== '\\') {
      result += char;
      continue;
    }
    i += 1;
    const code = token[i];
    const simple = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', '/': '/', 0: '\0', ' ': ' ' };
    if (code in simple) result += simple[code];
    else if (code === 'x' || code === 'u' || code === 'U') {
      const length = { x: 2, u: 4, U: 8 }[code];
      result += String.fromCodePoint(Number.parseInt(token.slice(i + 1, i + 1 + length), 16));
      i += length;
    } else throw new YamlSubsetError(`unsupported escape \\${code} in ${token}`);
  }
  return result;
}

/** One scalar at the start of `text`: { value, rest }. A plain scalar ends at ` #` or at `stop`. */
function scalar(text, at, reader, stop) {
  if (text.startsWith('"') || text.startsWith("'")) {
    const end = findClosingQuote(text, text[0]);
    if (end < 0) reader.fail('unterminated quoted scalar (multi-line quoted scalars are not supported)', at);
    return { value: unquote(text.slice(0, end + 1)), rest: text.slice(end + 1) };
  }
  let end = text.length;
  const comment = text.search(/\s#/);
  if (comment >= 0) end = comment;
  if (stop !== undefined) {
    const stopAt = text.search(stop);
    if (stopAt >= 0 && stopAt < end) end = stopAt;
  }
  const plain = text.slice(0, end).trim();
  if (/^[&*!%@`]/.test(plain)) reader.fail('anchors, aliases, tags and directives are not supported', at);
  if (/: /.test(plain)) reader.fail('": " inside a plain scalar', at);
  return { value: resolvePlain(plain), rest: text.slice(end) };
}

function resolvePlain(plain) {
  if (PLAIN_NULL.test(plain)) return null;
  if (PLAIN_BOOL.test(plain)) return plain.toLowerCase() === 'true';
  if (PLAIN_INT.test(plain)) return Number.parseInt(plain, 10);
  if (PLAIN_FLOAT.test(plain)) return Number.parseFloat(plain);
  if (/^[-+]?\.(?:inf|Inf|INF)$/.test(plain)) return plain.startsWith('-') ? -Infinity : Infinity;
  if (/^\.(?:nan|NaN|NAN)$/.test(plain)) return Number.NaN;
  return plain;
}
