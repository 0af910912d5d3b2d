import { DiagConsoleLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import type { LogLevel } from './config/variables.js';

const LEVELS: Record<LogLevel, DiagLogLevel> = {
  none: DiagLogLevel.NONE,
  error: DiagLogLevel.ERROR,
  warn: DiagLogLevel.WARN,
  info: DiagLogLevel.INFO,
  debug: DiagLogLevel.DEBUG,
  verbose: DiagLogLevel.VERBOSE,
  all: DiagLogLevel.ALL,
};

/**
 * Sends the OpenTelemetry `diag` log to the console at the given level. `suppressOverrideMessage`
 * keeps the API quiet when an app (or a second start()) already set a logger: ours replaces it,
 * which is what OTEL_LOG_LEVEL asks for.
 */
export function useConsoleDiagLogger(level: LogLevel): void {
  diag.setLogger(new DiagConsoleLogger(), { logLevel: LEVELS[level], suppressOverrideMessage: true });
}
