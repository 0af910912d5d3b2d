import { DiagLogLevel, diag } from '@opentelemetry/api';

/** Captures `diag` warnings until `stop()`, so a test can see our faults reported. */
export function captureDiagWarnings(): { readonly warnings: string[]; stop(): void } {
  const warnings: string[] = [];
  const ignore = () => {};
  diag.setLogger(
    {
      warn: (message: string) => warnings.push(message),
      error: ignore,
      info: ignore,
      debug: ignore,
      verbose: ignore,
    },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  return { warnings, stop: () => diag.disable() };
}
