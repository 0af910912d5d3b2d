/**
 * `db.operation.name` from the statement text: its first keyword, upper-cased.
 *
 * Only the commands PostgreSQL documents (https://www.postgresql.org/docs/current/sql-commands.html)
 * are reported; any other first word (a typo, a dialect we do not know) leaves the attribute out, so
 * the value set stays closed and the statement text can never leak into a label.
 * The scan allocates nothing: the keyword is matched character by character against a trie of the
 * known commands, and the returned string is the interned constant.
 */
const COMMANDS = [
  'ABORT',
  'ALTER',
  'ANALYSE',
  'ANALYZE',
  'BEGIN',
  'CALL',
  'CHECKPOINT',
  'CLOSE',
  'CLUSTER',
  'COMMENT',
  'COMMIT',
  'COPY',
  'CREATE',
  'DEALLOCATE',
  'DECLARE',
  'DELETE',
  'DISCARD',
  'DO',
  'DROP',
  'END',
  'EXECUTE',
  'EXPLAIN',
  'FETCH',
  'GRANT',
  'IMPORT',
  'INSERT',
  'LISTEN',
  'LOAD',
  'LOCK',
  'MERGE',
  'MOVE',
  'NOTIFY',
  'PREPARE',
  'REASSIGN',
  'REFRESH',
  'REINDEX',
  'RELEASE',
  'RESET',
  'REVOKE',
  'ROLLBACK',
  'SAVEPOINT',
  'SECURITY',
  'SELECT',
  'SET',
  'SHOW',
  'START',
  'TABLE',
  'TRUNCATE',
  'UNLISTEN',
  'UPDATE',
  'VACUUM',
  'VALUES',
  'WITH',
] as const;

interface TrieNode {
  readonly next: Map<number, TrieNode>;
  command?: string;
}

const ROOT: TrieNode = { next: new Map() };
for (const command of COMMANDS) {
  let node = ROOT;
  for (let index = 0; index < command.length; index++) {
    const code = command.charCodeAt(index);
    let child = node.next.get(code);
    if (child === undefined) {
      child = { next: new Map() };
      node.next.set(code, child);
    }
    node = child;
  }
  node.command = command;
}

const SPACE = 0x20;
const TAB = 0x09;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const OPEN_PARENTHESIS = 0x28;
const ASTERISK = 0x2a;
const HYPHEN = 0x2d;
const SLASH = 0x2f;

/** Space, tab, line feed, vertical tab, form feed, carriage return. */
function isSpace(code: number): boolean {
  return code === SPACE || (code >= TAB && code <= CARRIAGE_RETURN);
}

/** Letters, digits, `_`, `$` and anything non-ASCII continue an identifier (PostgreSQL lexical rules). */
function continuesWord(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x5f ||
    code === 0x24 ||
    code > 0x7f
  );
}

/** Index of the first character after leading spaces, `--` and (nested) `/* *\/` comments and `(`. */
function startOfStatement(text: string): number {
  let index = 0;
  const length = text.length;
  while (index < length) {
    const code = text.charCodeAt(index);
    if (isSpace(code) || code === OPEN_PARENTHESIS) {
      index++;
    } else if (code === HYPHEN && text.charCodeAt(index + 1) === HYPHEN) {
      index += 2;
      while (
        index < length &&
        text.charCodeAt(index) !== LINE_FEED &&
        text.charCodeAt(index) !== CARRIAGE_RETURN
      ) {
        index++;
      }
    } else if (code === SLASH && text.charCodeAt(index + 1) === ASTERISK) {
      // PostgreSQL block comments nest: /* a /* b */ c */ is one comment.
      let depth = 1;
      index += 2;
      while (index < length && depth > 0) {
        const current = text.charCodeAt(index);
        const following = text.charCodeAt(index + 1);
        if (current === SLASH && following === ASTERISK) {
          depth++;
          index += 2;
        } else if (current === ASTERISK && following === SLASH) {
          depth--;
          index += 2;
        } else {
          index++;
        }
      }
    } else {
      return index;
    }
  }
  return index;
}

/** The statement's command keyword (`SELECT`, `WITH` …), or undefined when it is not a known one. */
export function operationNameOf(text: string): string | undefined {
  let node: TrieNode | undefined = ROOT;
  const length = text.length;
  for (let index = startOfStatement(text); index < length; index++) {
    let code = text.charCodeAt(index);
    if (!continuesWord(code)) break;
    if (code >= 0x61 && code <= 0x7a) code -= 0x20;
    node = node.next.get(code);
    if (node === undefined) return undefined;
  }
  return node.command;
}
