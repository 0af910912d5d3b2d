import { diag } from '@opentelemetry/api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EnvironmentVariable } from '../../src/environment/environment-variable.js';
import { parseIntegerInRange } from '../../src/environment/parsers.js';
import { variableReader } from '../../src/environment/read-variable.js';
import { captureDiag, type Level } from '../diagnostics/diag-calls.js';

const TEST_PORT: EnvironmentVariable<number> = {
  name: 'TEST_READ_VARIABLE_PORT',
  description: 'A port, for this test.',
  expected: 'an integer from 0 to 65535',
  defaultValue: 9464,
  defaultText: '`9464`',
  origin: '@va',
  parse: parseIntegerInRange(0, 65535),
};

const TEST_SECRET: EnvironmentVariable<string | undefined> = {
  name: 'TEST_READ_VARIABLE_SECRET',
  description: 'A credential, for this test.',
  expected: 'a token',
  defaultValue: undefined,
  defaultText: 'none',
  origin: '@va',
  secret: true,
  parse: () => undefined,
};

describe('variableReader', () => {
  let calls: [Level, ...unknown[]][];
  beforeEach(() => {
    calls = captureDiag();
  });
  afterEach(() => diag.disable());

  const readVariable = variableReader('@va/test-package');

  it('parses a set value and takes the default, without a word, when unset or empty', () => {
    expect(readVariable(TEST_PORT, { TEST_READ_VARIABLE_PORT: ' 8080 ' })).toBe(8080);
    expect(readVariable(TEST_PORT, {})).toBe(9464);
    expect(readVariable(TEST_PORT, { TEST_READ_VARIABLE_PORT: '  ' })).toBe(9464);
    expect(calls).toEqual([]);
  });

  it("warns once per bad variable, under the reading package's name, and takes the default", () => {
    expect(readVariable(TEST_PORT, { TEST_READ_VARIABLE_PORT: '94640' })).toBe(9464);
    expect(readVariable(TEST_PORT, { TEST_READ_VARIABLE_PORT: 'x' })).toBe(9464);
    expect(calls).toEqual([
      [
        'warn',
        '@va/test-package',
        'TEST_READ_VARIABLE_PORT="94640" is not valid (expected an integer from 0 to 65535); using the default, `9464`.',
      ],
    ]);
  });

  it('never shows the value of a secret', () => {
    expect(readVariable(TEST_SECRET, { TEST_READ_VARIABLE_SECRET: 'hunter2-do-not-log' })).toBeUndefined();
    expect(calls).toEqual([
      [
        'warn',
        '@va/test-package',
        'TEST_READ_VARIABLE_SECRET (value hidden) is not valid (expected a token); using the default, none.',
      ],
    ]);
  });
});
