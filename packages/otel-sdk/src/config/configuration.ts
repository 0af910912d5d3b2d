import type { Environment } from '@va/instrumentation-base/environment';
import type { MetricsAuthOptions } from '@va/prometheus-bridge';
import { readVariable } from './read-variable.js';
import {
  type LogLevel,
  type MetricsExporterName,
  OTEL_EXPORTER_OTLP_ENDPOINT,
  OTEL_EXPORTER_OTLP_METRICS_ENDPOINT,
  OTEL_EXPORTER_OTLP_METRICS_PROTOCOL,
  OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE,
  OTEL_EXPORTER_OTLP_METRICS_TIMEOUT,
  OTEL_EXPORTER_OTLP_PROTOCOL,
  OTEL_EXPORTER_OTLP_TIMEOUT,
  OTEL_EXPORTER_PROMETHEUS_HOST,
  OTEL_EXPORTER_PROMETHEUS_PORT,
  OTEL_LOG_LEVEL,
  OTEL_METRIC_EXPORT_INTERVAL,
  OTEL_METRIC_EXPORT_TIMEOUT,
  OTEL_METRICS_EXPORTER,
  OTEL_RESOURCE_ATTRIBUTES,
  OTEL_SERVICE_NAME,
  type OtlpProtocol,
  type TemporalityPreference,
  VA_METRICS_ATTRIBUTE_HASH_MEMO,
  VA_METRICS_BASIC_AUTH_PASSWORD,
  VA_METRICS_BASIC_AUTH_PASSWORD_FILE,
  VA_METRICS_BASIC_AUTH_USERNAME,
  VA_METRICS_BEARER_TOKEN,
  VA_METRICS_BEARER_TOKEN_FILE,
  VA_METRICS_CARDINALITY_LIMIT,
  VA_METRICS_EXPORTER,
  VA_PROMETHEUS_PREFIX,
} from './variables.js';

/** What start() takes from the environment, parsed and validated; invalid values are already defaults. */
export interface Configuration {
  readonly serviceName: string | undefined;
  readonly resourceAttributes: Readonly<Record<string, string>>;
  /** Empty when OTEL_METRICS_EXPORTER is `none`. */
  readonly exporters: readonly Exclude<MetricsExporterName, 'none'>[];
  readonly prometheus: {
    readonly host: string;
    readonly port: number;
    readonly prefix: string;
    /** Credentials the metrics endpoint requires; `undefined` when none are configured. */
    readonly auth: MetricsAuthOptions | undefined;
  };
  readonly otlp: {
    readonly url: string;
    readonly protocol: OtlpProtocol;
    readonly temporality: TemporalityPreference;
    /** How long one push may spend on its requests and retries; never more than exportTimeoutMillis. */
    readonly timeoutMillis: number;
  };
  readonly exportIntervalMillis: number;
  readonly exportTimeoutMillis: number;
  readonly cardinalityLimit: number;
  /** Whether record() may remember the hash of an attribute set our views interned (hot-path/attribute-hash-memo.ts). */
  readonly attributeHashMemo: boolean;
  readonly logLevel: LogLevel;
}

export function readConfiguration(environment: Environment = process.env): Configuration {
  const exporters =
    readVariable(VA_METRICS_EXPORTER, environment) ?? readVariable(OTEL_METRICS_EXPORTER, environment);
  const exportIntervalMillis = readVariable(OTEL_METRIC_EXPORT_INTERVAL, environment);
  // The SDK rejects a timeout longer than the interval; keep the configured one only if it fits.
  const exportTimeoutMillis = Math.min(
    readVariable(OTEL_METRIC_EXPORT_TIMEOUT, environment),
    exportIntervalMillis,
  );
  return {
    serviceName: readVariable(OTEL_SERVICE_NAME, environment),
    resourceAttributes: readVariable(OTEL_RESOURCE_ATTRIBUTES, environment) ?? {},
    // `none` wins: "OTEL_METRICS_EXPORTER=none" means no metrics leave the process, whatever else is listed.
    exporters: exporters.includes('none')
      ? []
      : exporters.filter((name): name is Exclude<MetricsExporterName, 'none'> => name !== 'none'),
    prometheus: {
      host: readVariable(OTEL_EXPORTER_PROMETHEUS_HOST, environment),
      port: readVariable(OTEL_EXPORTER_PROMETHEUS_PORT, environment),
      prefix: readVariable(VA_PROMETHEUS_PREFIX, environment),
      auth: metricsAuth(environment),
    },
    otlp: {
      url: otlpMetricsUrl(environment),
      protocol:
        readVariable(OTEL_EXPORTER_OTLP_METRICS_PROTOCOL, environment) ??
        readVariable(OTEL_EXPORTER_OTLP_PROTOCOL, environment),
      temporality: readVariable(OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE, environment),
      // The reader abandons a push after exportTimeoutMillis, but the exporter's request and retries
      // run on until their own deadline (10 s by default): against a receiver that hangs, every
      // interval would leave one more request open, up to the exporter's limit of 30. Capped, a push
      // the reader gave up on is over too.
      timeoutMillis: Math.min(
        readVariable(OTEL_EXPORTER_OTLP_METRICS_TIMEOUT, environment) ??
          readVariable(OTEL_EXPORTER_OTLP_TIMEOUT, environment),
        exportTimeoutMillis,
      ),
    },
    exportIntervalMillis,
    exportTimeoutMillis,
    cardinalityLimit: readVariable(VA_METRICS_CARDINALITY_LIMIT, environment),
    attributeHashMemo: readVariable(VA_METRICS_ATTRIBUTE_HASH_MEMO, environment),
    logLevel: readVariable(OTEL_LOG_LEVEL, environment),
  };
}

/**
 * The signal-specific endpoint is used as is; the generic one gets `/v1/metrics` appended.
 * https://opentelemetry.io/docs/specs/otel/protocol/exporter/#endpoint-urls-for-otlphttp
 */
function otlpMetricsUrl(environment: Environment): string {
  const specific = readVariable(OTEL_EXPORTER_OTLP_METRICS_ENDPOINT, environment);
  if (specific !== undefined) return specific;
  const base = readVariable(OTEL_EXPORTER_OTLP_ENDPOINT, environment);
  return `${base.replace(/\/+$/, '')}/v1/metrics`;
}

/** The metrics endpoint's credentials from VA_METRICS_*; what the bridge cannot use, it refuses (fails closed). */
function metricsAuth(environment: Environment): MetricsAuthOptions | undefined {
  const bearerToken = readVariable(VA_METRICS_BEARER_TOKEN, environment);
  const bearerTokenFile = readVariable(VA_METRICS_BEARER_TOKEN_FILE, environment);
  const username = readVariable(VA_METRICS_BASIC_AUTH_USERNAME, environment);
  const password = readVariable(VA_METRICS_BASIC_AUTH_PASSWORD, environment);
  const passwordFile = readVariable(VA_METRICS_BASIC_AUTH_PASSWORD_FILE, environment);
  const bearer = bearerToken !== undefined || bearerTokenFile !== undefined;
  // A password without a username still asks for basic auth: the bridge refuses every scrape and says why.
  const basic = username !== undefined || password !== undefined || passwordFile !== undefined;
  if (!bearer && !basic) return undefined;
  return {
    ...(bearerToken !== undefined && { bearerToken }),
    ...(bearerTokenFile !== undefined && { bearerTokenFile }),
    ...(basic && {
      basicAuth: {
        username: username ?? '',
        ...(password !== undefined && { password }),
        ...(passwordFile !== undefined && { passwordFile }),
      },
    }),
  };
}
