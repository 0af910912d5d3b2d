import {
  type EnvironmentVariable,
  type EnvironmentVariableList,
  parseBoolean,
  parseChoice,
  parseNameList,
} from '@va/instrumentation-base/environment';

// The variables only the register reads: whether it runs, which instrumentations it loads, and who
// records the HTTP server duration. `@va/otel-register/variables` exports the list for the docs.

export const OTEL_SDK_DISABLED: EnvironmentVariable<boolean> = {
  name: 'OTEL_SDK_DISABLED',
  description: '`true` turns @va/otel-register into a no-op: no SDK, no server, no instrumentation.',
  expected: '`true` or `false`',
  defaultValue: false,
  defaultText: '`false`',
  origin: 'OpenTelemetry',
  parse: parseBoolean,
};

export const OTEL_NODE_ENABLED_INSTRUMENTATIONS: EnvironmentVariable<string[] | undefined> = {
  name: 'OTEL_NODE_ENABLED_INSTRUMENTATIONS',
  description:
    'Only these instrumentations are registered, e.g. `http,pg`. Names: see the list below the table.',
  expected: 'a comma-separated list of instrumentation names',
  defaultValue: undefined,
  defaultText: 'all',
  origin: 'OpenTelemetry',
  parse: parseNameList,
};

export const OTEL_NODE_DISABLED_INSTRUMENTATIONS: EnvironmentVariable<string[] | undefined> = {
  name: 'OTEL_NODE_DISABLED_INSTRUMENTATIONS',
  description: 'These instrumentations are not registered; applied after OTEL_NODE_ENABLED_INSTRUMENTATIONS.',
  expected: 'a comma-separated list of instrumentation names',
  defaultValue: undefined,
  defaultText: 'none',
  origin: 'OpenTelemetry',
  parse: parseNameList,
};

export const HTTP_SERVER_INSTRUMENTATIONS = ['va', 'upstream'] as const;
export type HttpServerInstrumentation = (typeof HTTP_SERVER_INSTRUMENTATIONS)[number];

export const VA_HTTP_SERVER_INSTRUMENTATION: EnvironmentVariable<HttpServerInstrumentation> = {
  name: 'VA_HTTP_SERVER_INSTRUMENTATION',
  description:
    "Who records the HTTP server request duration histogram. `va`: our path on Node's diagnostics channels, with `http.route` from Express, Fastify ≥ 5 or `setHttpRoute()` (no spans; its cost per request: docs/benchmarks.md). `upstream`: `@opentelemetry/instrumentation-http` with the express and fastify instrumentations, metrics only (a no-op tracer); chosen automatically when OTEL_SEMCONV_STABILITY_OPT_IN has `http/dup`. It needs a context manager: beside your own tracing SDK, load the register after it.",
  expected: '`va` or `upstream`',
  defaultValue: 'va',
  defaultText: '`va`',
  origin: '@va',
  parse: parseChoice(HTTP_SERVER_INSTRUMENTATIONS),
};

export const OTEL_SEMCONV_STABILITY_OPT_IN: EnvironmentVariable<string[] | undefined> = {
  name: 'OTEL_SEMCONV_STABILITY_OPT_IN',
  description:
    'HTTP and database metrics already follow the stable conventions; `http/dup` also emits the old `http.server.duration` (ms) histograms, which no dashboard of ours reads. GenAI metrics carry `gen_ai.provider.name` in every mode. `gen_ai_latest_experimental` records the GenAI client metrics under the names of semantic-conventions-genai v0.1.0 (inference and embeddings metrics, usage counters by `gen_ai.token.modality`) instead of the current ones; `gen_ai/dup` (ours, also read as `gen_ai_latest_experimental/dup`) records both, for a migration, and adds the pre-1.37 `gen_ai.system` beside the provider (docs/metrics.md).',
  expected:
    'a comma-separated list such as `http`, `http/dup`, `database`, `gen_ai_latest_experimental`, `gen_ai/dup`',
  defaultValue: undefined,
  defaultText: 'stable conventions',
  origin: 'OpenTelemetry',
  parse: parseNameList,
};

export const REGISTER_VARIABLES: EnvironmentVariableList = [
  OTEL_SDK_DISABLED,
  OTEL_NODE_ENABLED_INSTRUMENTATIONS,
  OTEL_NODE_DISABLED_INSTRUMENTATIONS,
  OTEL_SEMCONV_STABILITY_OPT_IN,
  VA_HTTP_SERVER_INSTRUMENTATION,
];
