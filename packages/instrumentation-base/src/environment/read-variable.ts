import { diag } from '@opentelemetry/api';
import { createLogOnce } from '../diagnostics/log-once.js';
import type { Environment, EnvironmentVariable } from './environment-variable.js';

/**
 * The value of one variable: its parsed value when set and valid; otherwise its default, with
 * one warning naming the variable, the bad value, what was expected and what is used instead.
 * Unset and empty mean "not configured" and are not warned about.
 */
export type ReadVariable = <T>(variable: EnvironmentVariable<T>, environment: Environment) => T;

/**
 * The reader of one package's variables, made once at module level: its warnings carry the package's
 * name (`namespace`), one per variable for the life of the process, however often it is read.
 */
export function variableReader(namespace: string): ReadVariable {
  const warnOnce = createLogOnce('warn', diag.createComponentLogger({ namespace }));
  return <T>(variable: EnvironmentVariable<T>, environment: Environment): T => {
    const raw = environment[variable.name];
    if (raw === undefined || raw.trim() === '') return variable.defaultValue;
    const value = variable.parse(raw);
    if (value !== undefined) return value;
    // A credential's value never reaches a log, not even a wrong one.
    const shown =
      variable.secret === true
        ? `${variable.name} (value hidden)`
        : `${variable.name}=${JSON.stringify(raw)}`;
    warnOnce(
      variable.name,
      `${shown} is not valid (expected ${variable.expected}); using the default, ${variable.defaultText}.`,
    );
    return variable.defaultValue;
  };
}
