import { diag } from '@opentelemetry/api';
import type { EnvironmentVariable } from './variables.js';

export type Environment = Readonly<Record<string, string | undefined>>;

const logger = diag.createComponentLogger({ namespace: '@va/otel-sdk' });

/** Variables already warned about in this process: one warning each, however often start() runs. */
const warned = new Set<string>();

/**
 * The value of one variable: its parsed value when set and valid; otherwise its default, with
 * one warning naming the variable, the bad value, what was expected and what is used instead.
 * Unset and empty mean "not configured" and are not warned about.
 */
export function readVariable<T>(variable: EnvironmentVariable<T>, environment: Environment): T {
  const raw = environment[variable.name];
  if (raw === undefined || raw.trim() === '') return variable.defaultValue;
  const value = variable.parse(raw);
  if (value !== undefined) return value;
  if (!warned.has(variable.name)) {
    warned.add(variable.name);
    // A credential's value never reaches a log, not even a wrong one.
    const shown =
      variable.secret === true
        ? `${variable.name} (value hidden)`
        : `${variable.name}=${JSON.stringify(raw)}`;
    logger.warn(
      `${shown} is not valid (expected ${variable.expected}); using the default, ${variable.defaultText}.`,
    );
  }
  return variable.defaultValue;
}
