import { DiagLogLevel, diag } from '@opentelemetry/api';

/** Captures `diag` warnings and errors until `stop()`, so a test can see our faults reported. */
export function captureDiagWarnings(): { readonly warnings: string[]; stop(): void } {
  const warnings: string[] = [];
  const ignore = () => {};
  diag.setLogger(
    {
      warn: (message: string) => warnings.push(message),
      // Our faults are logged as errors (@va/instrumentation-base's fault reporter).
      error: (message: string) => warnings.push(message),
      info: ignore,
      debug: ignore,
      verbose: ignore,
    },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  return { warnings, stop: () => diag.disable() };
}
