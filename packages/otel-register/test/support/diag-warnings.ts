import { DiagLogLevel, diag } from '@opentelemetry/api';
import { afterEach, beforeEach } from 'vitest';

/** What `diag` logs at WARN and above during each test of the calling file, one string per message. */
export function captureDiagWarnings(): string[] {
  const warnings: string[] = [];
  beforeEach(() => {
    warnings.length = 0;
    const record = (...parts: unknown[]): void => void warnings.push(parts.join(' '));
    diag.setLogger(
      { error: record, warn: record, info: () => {}, debug: () => {}, verbose: () => {} },
      { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
    );
  });
  afterEach(() => diag.disable());
  return warnings;
}
