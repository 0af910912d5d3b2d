import { diag } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { REMEMBERED_KEYS_LIMIT } from '../../src/diagnostics/remembered-keys.js';
import { createFaultReporter } from '../../src/diagnostics/report-fault.js';
import { captureDiag, throwingDiag } from './diag-calls.js';

afterEach(() => diag.disable());

const FIRST = 'failed; the application goes on, some data may be missing';

describe('createFaultReporter', () => {
  it('logs the first fault at each where as an error, with what was thrown; the same again at debug level', () => {
    const calls = captureDiag();
    const reportFault = createFaultReporter('@va/test');
    const first = new Error('instrument down');
    const again = new Error('instrument still down');
    reportFault('recording a call', first);
    reportFault('recording a call', again);
    reportFault('reading a stream chunk', first);
    expect(calls).toEqual([
      ['error', `@va/test: recording a call ${FIRST}`, first],
      ['debug', '@va/test: recording a call failed again', again],
      ['error', `@va/test: reading a stream chunk ${FIRST}`, first],
    ]);
  });

  it('has a memory of its own: another reporter reports the same where as new', () => {
    const calls = captureDiag();
    createFaultReporter('@va/one')('starting', undefined);
    createFaultReporter('@va/two')('starting', undefined);
    expect(calls.map((call) => call.slice(0, 2))).toEqual([
      ['error', `@va/one: starting ${FIRST}`],
      ['error', `@va/two: starting ${FIRST}`],
    ]);
  });

  it(`remembers ${REMEMBERED_KEYS_LIMIT} wheres; past them a new one is a debug line`, () => {
    const calls = captureDiag();
    const reportFault = createFaultReporter('@va/test');
    for (let i = 0; i <= REMEMBERED_KEYS_LIMIT; i++) reportFault(`step ${i}`, undefined);
    expect(calls.filter(([level]) => level === 'error')).toHaveLength(REMEMBERED_KEYS_LIMIT);
    expect(calls.at(-1)).toEqual([
      'debug',
      `@va/test: step ${REMEMBERED_KEYS_LIMIT} failed again`,
      undefined,
    ]);
  });

  it('never throws, even when the logger does', () => {
    throwingDiag();
    const reportFault = createFaultReporter('@va/test');
    expect(() => reportFault('recording a call', new Error('x'))).not.toThrow();
    expect(() => reportFault('recording a call', new Error('x'))).not.toThrow();
  });
});
