import { DiagLogLevel, diag } from '@opentelemetry/api';

export interface DiagLines {
  readonly warn: string[];
  readonly debug: string[];
}

/** Captures what the tracker logs through `diag`; `diag.disable()` after the test. */
export function captureDiag(): DiagLines {
  const lines: DiagLines = { warn: [], debug: [] };
  diag.setLogger(
    {
      error: (message: string) => lines.warn.push(message),
      warn: (message: string) => lines.warn.push(message),
      info() {},
      debug: (message: string) => lines.debug.push(message),
      verbose() {},
    },
    { logLevel: DiagLogLevel.ALL, suppressOverrideMessage: true },
  );
  return lines;
}
