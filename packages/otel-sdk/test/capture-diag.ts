import { type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api';

/** Captures what the SDK logs through `diag` at WARN and above, for exact assertions. */
export function captureDiagWarnings(): { warnings: string[]; restore(): void } {
  const warnings: string[] = [];
  const record = (...parts: unknown[]): void => {
    warnings.push(parts.map(String).join(' '));
  };
  const logger: DiagLogger = {
    error: record,
    warn: record,
    info: () => {},
    debug: () => {},
    verbose: () => {},
  };
  diag.setLogger(logger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  return { warnings, restore: () => diag.disable() };
}
