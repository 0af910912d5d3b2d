import { type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api';

export type Level = 'error' | 'warn' | 'info' | 'debug' | 'verbose';

/** Every diag call from now on, level and arguments, until diag.disable(). */
export function captureDiag(): [Level, ...unknown[]][] {
  const calls: [Level, ...unknown[]][] = [];
  const at =
    (level: Level) =>
    (...args: unknown[]): void => {
      calls.push([level, ...args]);
    };
  const logger: DiagLogger = {
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    verbose: at('verbose'),
  };
  diag.setLogger(logger, { logLevel: DiagLogLevel.ALL, suppressOverrideMessage: true });
  calls.length = 0; // diag's own line about its registration
  return calls;
}

/** A diag logger that throws at every level, at every line but diag's own (its registration, disable()). */
export function throwingDiag(): void {
  const boom = (message: string): void => {
    if (!message.startsWith('@opentelemetry/api')) throw new Error('logger down');
  };
  diag.setLogger(
    { error: boom, warn: boom, info: boom, debug: boom, verbose: boom },
    { logLevel: DiagLogLevel.ALL, suppressOverrideMessage: true },
  );
}
