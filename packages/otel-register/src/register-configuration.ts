import { type Environment, variableReader } from '@va/instrumentation-base/environment';
import type { InstrumentationName } from './instrumentation-catalogue.js';
import { selectInstrumentations } from './select-instrumentations.js';
import {
  type HttpServerInstrumentation,
  OTEL_NODE_DISABLED_INSTRUMENTATIONS,
  OTEL_NODE_ENABLED_INSTRUMENTATIONS,
  OTEL_SDK_DISABLED,
  OTEL_SEMCONV_STABILITY_OPT_IN,
  VA_HTTP_SERVER_INSTRUMENTATION,
} from './variables.js';

const readVariable = variableReader('@va/otel-register');

/** What the register takes from the environment beyond the SDK's configuration; invalid values are already defaults. */
export interface RegisterConfiguration {
  /** OTEL_NODE_ENABLED_INSTRUMENTATIONS (else all) minus OTEL_NODE_DISABLED_INSTRUMENTATIONS. */
  readonly instrumentations: InstrumentationName[];
  /** Who records the HTTP server request duration histogram (`upstream` when OTEL_SEMCONV_STABILITY_OPT_IN has `http/dup`). */
  readonly httpServerInstrumentation: HttpServerInstrumentation;
}

/** OTEL_SDK_DISABLED, read first and alone: a disabled register reads, and warns about, nothing else. */
export function registerDisabled(environment: Environment): boolean {
  return readVariable(OTEL_SDK_DISABLED, environment);
}

export function readRegisterConfiguration(environment: Environment): RegisterConfiguration {
  return {
    instrumentations: selectInstrumentations(
      readVariable(OTEL_NODE_ENABLED_INSTRUMENTATIONS, environment),
      readVariable(OTEL_NODE_DISABLED_INSTRUMENTATIONS, environment) ?? [],
    ),
    httpServerInstrumentation: httpServerInstrumentation(environment),
  };
}

/**
 * VA_HTTP_SERVER_INSTRUMENTATION when set; otherwise `va`, unless OTEL_SEMCONV_STABILITY_OPT_IN asks
 * for `http/dup`: the old-convention server histograms exist only on the upstream path.
 */
function httpServerInstrumentation(environment: Environment): HttpServerInstrumentation {
  if (environment[VA_HTTP_SERVER_INSTRUMENTATION.name] !== undefined) {
    return readVariable(VA_HTTP_SERVER_INSTRUMENTATION, environment);
  }
  const optIn = readVariable(OTEL_SEMCONV_STABILITY_OPT_IN, environment) ?? [];
  return optIn.includes('http/dup') ? 'upstream' : VA_HTTP_SERVER_INSTRUMENTATION.defaultValue;
}
