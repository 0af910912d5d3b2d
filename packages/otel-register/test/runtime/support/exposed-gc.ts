import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * V8's `gc()` without starting the test runner with --expose-gc: the flag set at run time applies
 * to contexts created afterwards, so a fresh context has the function. Each call is a full
 * (major) collection.
 */
export function exposedGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}
