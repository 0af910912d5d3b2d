import { describe, expect, it } from 'vitest';
import { operationNameOf } from '../../src/pg/operation-name.js';

describe('operationNameOf', () => {
  it.each([
    ['SELECT 1', 'SELECT'],
    ['select * from t', 'SELECT'],
    ['  \n\t InSeRt INTO t VALUES (1)', 'INSERT'],
    ['update t set a = 1', 'UPDATE'],
    ['DELETE FROM t', 'DELETE'],
    ['WITH x AS (SELECT 1) SELECT * FROM x', 'WITH'],
    ['BEGIN', 'BEGIN'],
    ['commit;', 'COMMIT'],
    ['-- a comment\nSELECT 1', 'SELECT'],
    ['-- one\r\n-- two\nDELETE FROM t', 'DELETE'],
    ['/* a comment */ SELECT 1', 'SELECT'],
    ['/* outer /* nested */ still comment */update t set a = 1', 'UPDATE'],
    ['/*a*//*b*/-- c\n  vacuum', 'VACUUM'],
    ['(SELECT 1) UNION (SELECT 2)', 'SELECT'],
    ['select(1)', 'SELECT'],
  ])('%j is %s', (text, expected) => {
    expect(operationNameOf(text)).toBe(expected);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'blank'],
    ['-- only a comment', 'a comment alone'],
    ['/* unterminated SELECT', 'an unterminated comment'],
    ['SELEC 1', 'a misspelt keyword'],
    ['SELECTED 1', 'a longer word that starts like one'],
    ['select_all()', 'an identifier that starts like one'],
    ['SELECTé', 'a word that goes on in non-ASCII letters'],
    ['1 + 1', 'no keyword'],
    ['"SELECT" 1', 'a quoted identifier'],
  ])('%j (%s) has none', (text) => {
    expect(operationNameOf(text)).toBeUndefined();
  });

  it('never returns anything but the keyword, whatever the statement holds', () => {
    expect(operationNameOf("SELECT 'secret' FROM users WHERE id = 42")).toBe('SELECT');
  });
});
