import {
  type EnvironmentVariable,
  type EnvironmentVariableList,
  parseBoolean,
  parseChoice,
  parseChoiceList,
  parseHost,
  parseHttpUrl,
  parseIntegerInRange,
  parseKeyValueList,
  parseMetricPrefix,
  parseNonEmptyString,
} from '@va/instrumentation-base/environment';

// The variables start() reads: the resource, the exporters and their readers, the metrics server, the
// views and the log level. The register's own (OTEL_SDK_DISABLED, the instrumentation selection) and the
// openai instrumentation's (VA_GENAI_*) are defined where they are read.

export const METRICS_EXPORTER_NAMES = ['prometheus', 'otlp', 'console', 'none'] as const;
export type MetricsExporterName = (typeof METRICS_EXPORTER_NAMES)[number];

export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

export const TEMPORALITY_PREFERENCES = ['cumulative', 'delta', 'lowmemory'] as const;
export type TemporalityPreference = (typeof TEMPORALITY_PREFERENCES)[number];

export const LOG_LEVELS = ['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const OTEL_SERVICE_NAME: EnvironmentVariable<string | undefined> = {
  name: 'OTEL_SERVICE_NAME',
  description:
    'The `service.name` resource attribute (a `target_info` label; `service_name` on OTLP). Wins over `service.name` in OTEL_RESOURCE_ATTRIBUTES.',
  expected: 'a non-empty string',
  defaultValue: undefined,
  defaultText: '`unknown_service:node`',
  origin: 'OpenTelemetry',
  parse: parseNonEmptyString,
};

export const OTEL_RESOURCE_ATTRIBUTES: EnvironmentVariable<Record<string, string> | undefined> = {
  name: 'OTEL_RESOURCE_ATTRIBUTES',
  description:
    'Extra resource attributes, e.g. `deployment.environment.name=prod,service.version=1.4.2`. Values are percent-decoded.',
  expected: 'comma-separated `key=value` pairs',
  defaultValue: undefined,
  defaultText: 'none',
  origin: 'OpenTelemetry',
  parse: parseKeyValueList,
};

export const OTEL_METRICS_EXPORTER: EnvironmentVariable<MetricsExporterName[]> = {
  name: 'OTEL_METRICS_EXPORTER',
  description:
    'Where metrics go: `prometheus` (pull, served on /metrics), `otlp` (push), `console` (push to stdout, for debugging), `none`. Comma-separated for several, e.g. `prometheus,otlp`.',
  expected: `a comma-separated list of ${METRICS_EXPORTER_NAMES.join(', ')}`,
  defaultValue: ['prometheus'],
  defaultText: '`prometheus`',
  origin: 'OpenTelemetry',
  parse: parseChoiceList(METRICS_EXPORTER_NAMES),
};

/**
 * Ours, read before OTEL_METRICS_EXPORTER: an application that runs its own OpenTelemetry SDK beside
 * the register sets OTEL_METRICS_EXPORTER for that SDK (`none` to turn its metrics off), and this one
 * for @va.
 */
export const VA_METRICS_EXPORTER: EnvironmentVariable<MetricsExporterName[] | undefined> = {
  name: 'VA_METRICS_EXPORTER',
  description:
    "Where @va's metrics go, read before `OTEL_METRICS_EXPORTER` and with the same values. Set it when the application's own OpenTelemetry SDK (NodeSDK) reads `OTEL_METRICS_EXPORTER` too: `OTEL_METRICS_EXPORTER=none VA_METRICS_EXPORTER=prometheus` turns NodeSDK's metrics off and keeps `/metrics`.",
  expected: `a comma-separated list of ${METRICS_EXPORTER_NAMES.join(', ')}`,
  defaultValue: undefined,
  defaultText: '`OTEL_METRICS_EXPORTER`',
  origin: '@va',
  parse: parseChoiceList(METRICS_EXPORTER_NAMES),
};

export const OTEL_EXPORTER_PROMETHEUS_HOST: EnvironmentVariable<string> = {
  name: 'OTEL_EXPORTER_PROMETHEUS_HOST',
  description:
    'The interface the metrics server binds to. `0.0.0.0`, the default, is every interface (IPv6 too where the host has it). `127.0.0.1` keeps it off the network.',
  expected: 'a host name or IP address',
  defaultValue: '0.0.0.0',
  defaultText: '`0.0.0.0`',
  origin: 'OpenTelemetry',
  parse: parseHost,
};

export const OTEL_EXPORTER_PROMETHEUS_PORT: EnvironmentVariable<number> = {
  name: 'OTEL_EXPORTER_PROMETHEUS_PORT',
  description:
    'The port of the metrics server (`/metrics`, `/health`). `0` picks a free port. If the port is taken, a warning is logged and the app runs on without the server.',
  expected: 'an integer from 0 to 65535',
  defaultValue: 9464,
  defaultText: '`9464`',
  origin: 'OpenTelemetry',
  parse: parseIntegerInRange(0, 65535),
};

export const OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: EnvironmentVariable<string | undefined> = {
  name: 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT',
  description: 'The full URL metrics are pushed to with `otlp`, used as is.',
  expected: 'an http(s) URL',
  defaultValue: undefined,
  defaultText: 'OTEL_EXPORTER_OTLP_ENDPOINT + `/v1/metrics`',
  origin: 'OpenTelemetry',
  parse: parseHttpUrl,
};

export const OTEL_EXPORTER_OTLP_ENDPOINT: EnvironmentVariable<string> = {
  name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
  description:
    'The base URL of an OTLP/HTTP receiver (Collector, Datadog Agent, Grafana Cloud); `/v1/metrics` is appended.',
  expected: 'an http(s) URL',
  defaultValue: 'http://localhost:4318',
  defaultText: '`http://localhost:4318`',
  origin: 'OpenTelemetry',
  parse: parseHttpUrl,
};

export const OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: EnvironmentVariable<OtlpProtocol | undefined> = {
  name: 'OTEL_EXPORTER_OTLP_METRICS_PROTOCOL',
  description: 'The OTLP encoding for metrics; wins over OTEL_EXPORTER_OTLP_PROTOCOL. gRPC is not supported.',
  expected: OTLP_PROTOCOLS.join(' or '),
  defaultValue: undefined,
  defaultText: 'OTEL_EXPORTER_OTLP_PROTOCOL',
  origin: 'OpenTelemetry',
  parse: parseChoice(OTLP_PROTOCOLS),
};

export const OTEL_EXPORTER_OTLP_PROTOCOL: EnvironmentVariable<OtlpProtocol> = {
  name: 'OTEL_EXPORTER_OTLP_PROTOCOL',
  description: 'The OTLP encoding. gRPC is not supported.',
  expected: OTLP_PROTOCOLS.join(' or '),
  defaultValue: 'http/protobuf',
  defaultText: '`http/protobuf`',
  origin: 'OpenTelemetry',
  parse: parseChoice(OTLP_PROTOCOLS),
};

export const OTEL_EXPORTER_OTLP_METRICS_TIMEOUT: EnvironmentVariable<number | undefined> = {
  name: 'OTEL_EXPORTER_OTLP_METRICS_TIMEOUT',
  description:
    'Milliseconds one OTLP push may spend on its requests and retries; wins over OTEL_EXPORTER_OTLP_TIMEOUT. Never more than OTEL_METRIC_EXPORT_TIMEOUT.',
  expected: 'an integer from 1 to 86400000',
  defaultValue: undefined,
  defaultText: 'OTEL_EXPORTER_OTLP_TIMEOUT',
  origin: 'OpenTelemetry',
  parse: parseIntegerInRange(1, 86_400_000),
};

export const OTEL_EXPORTER_OTLP_TIMEOUT: EnvironmentVariable<number> = {
  name: 'OTEL_EXPORTER_OTLP_TIMEOUT',
  description:
    'Milliseconds one OTLP push may spend on its requests and retries. Capped at OTEL_METRIC_EXPORT_TIMEOUT, so a push the reader has given up on stops retrying too and an unreachable receiver never piles up requests.',
  expected: 'an integer from 1 to 86400000',
  defaultValue: 10_000,
  defaultText: '`10000` (capped at OTEL_METRIC_EXPORT_TIMEOUT)',
  origin: 'OpenTelemetry',
  parse: parseIntegerInRange(1, 86_400_000),
};

export const OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: EnvironmentVariable<TemporalityPreference> = {
  name: 'OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE',
  description:
    'Aggregation temporality pushed over OTLP. Datadog wants `delta`; Prometheus-compatible backends want `cumulative`. The Prometheus exporter is always cumulative.',
  expected: TEMPORALITY_PREFERENCES.join(', '),
  defaultValue: 'cumulative',
  defaultText: '`cumulative`',
  origin: 'OpenTelemetry',
  parse: parseChoice(TEMPORALITY_PREFERENCES),
};

export const OTEL_METRIC_EXPORT_INTERVAL: EnvironmentVariable<number> = {
  name: 'OTEL_METRIC_EXPORT_INTERVAL',
  description: 'Milliseconds between two pushes of the `otlp` and `console` exporters.',
  expected: 'an integer from 100 to 86400000',
  defaultValue: 60_000,
  defaultText: '`60000`',
  origin: 'OpenTelemetry',
  parse: parseIntegerInRange(100, 86_400_000),
};

export const OTEL_METRIC_EXPORT_TIMEOUT: EnvironmentVariable<number> = {
  name: 'OTEL_METRIC_EXPORT_TIMEOUT',
  description: 'Milliseconds one push may take before it is abandoned. Kept below the export interval.',
  expected: 'an integer from 100 to 86400000',
  defaultValue: 30_000,
  defaultText: '`30000`',
  origin: 'OpenTelemetry',
  parse: parseIntegerInRange(100, 86_400_000),
};

export const OTEL_LOG_LEVEL: EnvironmentVariable<LogLevel> = {
  name: 'OTEL_LOG_LEVEL',
  description:
    'How much the SDK and instrumentations log to the console (through the OpenTelemetry `diag` logger).',
  expected: LOG_LEVELS.join(', '),
  defaultValue: 'info',
  defaultText: '`info`',
  origin: 'OpenTelemetry',
  parse: parseChoice(LOG_LEVELS),
};

export const VA_PROMETHEUS_PREFIX: EnvironmentVariable<string> = {
  name: 'VA_PROMETHEUS_PREFIX',
  description:
    'Prefix of every Prometheus metric name (`voice_agent_http_server_request_duration_seconds`). Does not apply to `target_info`.',
  expected: 'a valid Prometheus metric name',
  defaultValue: 'voice_agent',
  defaultText: '`voice_agent`',
  origin: '@va',
  parse: parseMetricPrefix,
};

export const VA_METRICS_CARDINALITY_LIMIT: EnvironmentVariable<number> = {
  name: 'VA_METRICS_CARDINALITY_LIMIT',
  description:
    'The most series one metric keeps, the overflow series included, for the life of the process. Past it, new attribute sets are merged into one series labelled `otel_metric_overflow="true"`.',
  expected: 'an integer from 2 to 1000000',
  defaultValue: 2000,
  defaultText: '`2000`',
  origin: '@va',
  parse: parseIntegerInRange(2, 1_000_000),
};

export const VA_METRICS_ATTRIBUTE_HASH_MEMO: EnvironmentVariable<boolean> = {
  name: 'VA_METRICS_ATTRIBUTE_HASH_MEMO',
  description:
    "`false` leaves sdk-metrics' attribute hash as it ships and loads none of its internal modules. By default the hash of each attribute set @va's views produce is computed once, not on every `record()`; any other caller, such as your own MeterProvider on the same sdk-metrics, gets the SDK's own hash. Where sdk-metrics' internals are not as expected, the memo stays off with one warning (see docs/benchmarks.md, record hot path).",
  expected: '`true` or `false`',
  defaultValue: true,
  defaultText: '`true`',
  origin: '@va',
  parse: parseBoolean,
};

export const VA_CLUSTER_METRICS: EnvironmentVariable<boolean> = {
  name: 'VA_CLUSTER_METRICS',
  description:
    'Metrics of several processes (docs/scaling.md). A node:cluster worker serves no metrics server: the primary asks every worker over IPC on each scrape and serves the merged metrics on its own port. A process forked by one under the register (`child_process.fork()`, the job processes of LiveKit Agents) does the same over a local socket of its parent (`VA_METRICS_HUB`, set by the parent). Under PM2 (`pm_id` set), each instance serves on the port plus NODE_APP_INSTANCE. A worker thread starts no second server. `false`: every process and thread serves its own metrics on the configured port, as a lone process does.',
  expected: '`true` or `false`',
  defaultValue: true,
  defaultText: '`true`',
  origin: '@va',
  parse: parseBoolean,
};

export const VA_CLUSTER_METRICS_TIMEOUT: EnvironmentVariable<number> = {
  name: 'VA_CLUSTER_METRICS_TIMEOUT',
  description:
    "Milliseconds a scrape of a cluster primary (or of a parent of forked processes) waits for each worker's metrics. A worker that does not answer in time is named in a warning; that scrape leaves out its gauges and up-down counters and keeps its counters and histograms at their last answered values. Keep it well below Prometheus' `scrape_timeout`.",
  expected: 'an integer from 10 to 60000',
  defaultValue: 2000,
  defaultText: '`2000`',
  origin: '@va',
  parse: parseIntegerInRange(10, 60_000),
};

// Protection of the metrics endpoint. The values are only checked for being set here: the bridge validates
// them (metrics-auth.ts) and, unlike other variables, a value it cannot use does not fall back to the
// default, which would be "no protection": it warns once and refuses every scrape (fail closed).
const FAILS_CLOSED =
  'A value that cannot be used is warned about once and every scrape is answered 401 (it fails closed, never open).';

export const VA_METRICS_BEARER_TOKEN: EnvironmentVariable<string | undefined> = {
  name: 'VA_METRICS_BEARER_TOKEN',
  description: `A bearer token the metrics endpoint requires (\`Authorization: Bearer <token>\`, Prometheus \`authorization.credentials\`); \`/health\` stays open for probes. RFC 6750 characters: letters, digits, \`-._~+/\`, trailing \`=\`. Prefer VA_METRICS_BEARER_TOKEN_FILE; setup in docs/security.md. ${FAILS_CLOSED}`,
  expected: 'a bearer token',
  defaultValue: undefined,
  defaultText: 'none: anyone may scrape',
  origin: '@va',
  secret: true,
  parse: parseNonEmptyString,
};

export const VA_METRICS_BEARER_TOKEN_FILE: EnvironmentVariable<string | undefined> = {
  name: 'VA_METRICS_BEARER_TOKEN_FILE',
  description: `A file holding the bearer token, e.g. a mounted Kubernetes secret: the same file Prometheus reads with \`authorization.credentials_file\`. Surrounding whitespace is ignored; re-read at most every 5 s, so a rotated secret applies without a restart. Wins over VA_METRICS_BEARER_TOKEN. An unreadable file refuses every scrape until it can be read.`,
  expected: 'a path to a file',
  defaultValue: undefined,
  defaultText: 'none',
  origin: '@va',
  parse: parseNonEmptyString,
};

export const VA_METRICS_BASIC_AUTH_USERNAME: EnvironmentVariable<string | undefined> = {
  name: 'VA_METRICS_BASIC_AUTH_USERNAME',
  description: `The username of HTTP basic auth on the metrics endpoint (Prometheus \`basic_auth.username\`), with VA_METRICS_BASIC_AUTH_PASSWORD or VA_METRICS_BASIC_AUTH_PASSWORD_FILE. May be combined with a bearer token: either is accepted. ${FAILS_CLOSED}`,
  expected: 'a username without a colon',
  defaultValue: undefined,
  defaultText: 'none',
  origin: '@va',
  parse: parseNonEmptyString,
};

export const VA_METRICS_BASIC_AUTH_PASSWORD: EnvironmentVariable<string | undefined> = {
  name: 'VA_METRICS_BASIC_AUTH_PASSWORD',
  description:
    'The basic auth password (Prometheus `basic_auth.password`). Prefer VA_METRICS_BASIC_AUTH_PASSWORD_FILE. Set without a username, every scrape is refused.',
  expected: 'a password',
  defaultValue: undefined,
  defaultText: 'none',
  origin: '@va',
  secret: true,
  parse: parseNonEmptyString,
};

export const VA_METRICS_BASIC_AUTH_PASSWORD_FILE: EnvironmentVariable<string | undefined> = {
  name: 'VA_METRICS_BASIC_AUTH_PASSWORD_FILE',
  description:
    'A file holding the basic auth password: the same file Prometheus reads with `basic_auth.password_file`. Surrounding whitespace is ignored; re-read at most every 5 s. Wins over VA_METRICS_BASIC_AUTH_PASSWORD.',
  expected: 'a path to a file',
  defaultValue: undefined,
  defaultText: 'none',
  origin: '@va',
  parse: parseNonEmptyString,
};

export const OTEL_SDK_VARIABLES: EnvironmentVariableList = [
  OTEL_SERVICE_NAME,
  OTEL_RESOURCE_ATTRIBUTES,
  OTEL_METRICS_EXPORTER,
  VA_METRICS_EXPORTER,
  OTEL_EXPORTER_PROMETHEUS_HOST,
  OTEL_EXPORTER_PROMETHEUS_PORT,
  OTEL_EXPORTER_OTLP_METRICS_ENDPOINT,
  OTEL_EXPORTER_OTLP_ENDPOINT,
  OTEL_EXPORTER_OTLP_METRICS_PROTOCOL,
  OTEL_EXPORTER_OTLP_PROTOCOL,
  OTEL_EXPORTER_OTLP_METRICS_TIMEOUT,
  OTEL_EXPORTER_OTLP_TIMEOUT,
  OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE,
  OTEL_METRIC_EXPORT_INTERVAL,
  OTEL_METRIC_EXPORT_TIMEOUT,
  OTEL_LOG_LEVEL,
  VA_PROMETHEUS_PREFIX,
  VA_METRICS_BEARER_TOKEN,
  VA_METRICS_BEARER_TOKEN_FILE,
  VA_METRICS_BASIC_AUTH_USERNAME,
  VA_METRICS_BASIC_AUTH_PASSWORD,
  VA_METRICS_BASIC_AUTH_PASSWORD_FILE,
  VA_CLUSTER_METRICS,
  VA_CLUSTER_METRICS_TIMEOUT,
  VA_METRICS_CARDINALITY_LIMIT,
  VA_METRICS_ATTRIBUTE_HASH_MEMO,
];
