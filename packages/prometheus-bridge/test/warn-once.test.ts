import { afterEach, describe, expect, it } from 'vitest';
import { WarnOnce } from '../src/warn-once.js';
import { type CapturedLog, captureDiag } from './helpers.js';

// diag's component logger puts its namespace first.
const NAMESPACE = '@va/prometheus-bridge';

let diagCapture: { logs: CapturedLog[]; restore: () => void } | undefined;
afterEach(() => {
  diagCapture?.restore();
  diagCapture = undefined;
});

describe('WarnOnce', () => {
  it('logs each key once', () => {
    diagCapture = captureDiag();
    const warnings = new WarnOnce();
    warnings.warn('a', 'problem a');
    warnings.warn('b', 'problem b');
    warnings.warn('a', 'problem a again');
    expect(diagCapture.logs).toEqual([
      { level: 'warn', message: `${NAMESPACE} problem a` },
      { level: 'warn', message: `${NAMESPACE} problem b` },
    ]);
  });

  it('remembers at most 1,000 keys: says so once, then logs no new problem', () => {
    diagCapture = captureDiag();
    const warnings = new WarnOnce();
    for (let key = 0; key < 1_005; key++) warnings.warn(String(key), `problem ${key}`);
    warnings.warn('0', 'problem 0 again');
    expect(diagCapture.logs).toHaveLength(1_001);
    expect(diagCapture.logs[999]).toEqual({ level: 'warn', message: `${NAMESPACE} problem 999` });
    expect(diagCapture.logs[1_000]).toEqual({
      level: 'warn',
      message: `${NAMESPACE} 1000 distinct metric problems were reported above; further ones are not logged`,
    });
  });

  it('keeps the keys of each instance apart', () => {
    diagCapture = captureDiag();
    new WarnOnce().warn('a', 'from the first');
    new WarnOnce().warn('a', 'from the second');
    expect(diagCapture.logs.map((log) => log.message)).toEqual([
      `${NAMESPACE} from the first`,
      `${NAMESPACE} from the second`,
    ]);
  });
});
