import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readConfiguration } from '../src/config/configuration.js';
import { captureDiagWarnings } from './capture-diag.js';

describe('readConfiguration', () => {
  let captured: ReturnType<typeof captureDiagWarnings>;
  beforeEach(() => {
    captured = captureDiagWarnings();
  });
  afterEach(() => captured.restore());

  it('has the documented defaults for an empty environment', () => {
    expect(readConfiguration({})).toEqual({
      serviceName: undefined,
      resourceAttributes: {},
      exporters: ['prometheus'],
      prometheus: { host: '0.0.0.0', port: 9464, prefix: 'voice_agent' },
      otlp: {
        url: 'http://localhost:4318/v1/metrics',
        protocol: 'http/protobuf',
        temporality: 'cumulative',
        timeoutMillis: 10_000,
      },
      exportIntervalMillis: 60_000,
      exportTimeoutMillis: 30_000,
      cardinalityLimit: 2000,
      attributeHashMemo: true,
      logLevel: 'info',
    });
    expect(captured.warnings).toEqual([]);
  });

  it('reads every variable', () => {
    expect(
      readConfiguration({
        OTEL_SERVICE_NAME: ' voice-gateway ',
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=prod, team=voice%20ai',
        OTEL_METRICS_EXPORTER: 'prometheus, OTLP,console,otlp',
        OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
        OTEL_EXPORTER_PROMETHEUS_PORT: '0',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector:4318/',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'Delta',
        OTEL_EXPORTER_OTLP_TIMEOUT: '7000',
        OTEL_METRIC_EXPORT_INTERVAL: '5000',
        OTEL_METRIC_EXPORT_TIMEOUT: '9000',
        OTEL_LOG_LEVEL: 'debug',
        VA_PROMETHEUS_PREFIX: 'agent',
        VA_METRICS_CARDINALITY_LIMIT: '500',
        VA_METRICS_ATTRIBUTE_HASH_MEMO: 'false',
      }),
    ).toEqual({
      serviceName: 'voice-gateway',
      resourceAttributes: { 'deployment.environment.name': 'prod', team: 'voice ai' },
      exporters: ['prometheus', 'otlp', 'console'],
      prometheus: { host: '127.0.0.1', port: 0, prefix: 'agent' },
      // capped at the export timeout: a push the reader gave up on must not retry on behind it
      otlp: {
        url: 'https://collector:4318/v1/metrics',
        protocol: 'http/json',
        temporality: 'delta',
        timeoutMillis: 5000,
      },
      exportIntervalMillis: 5000,
      // capped at the interval: the SDK refuses a timeout longer than the interval
      exportTimeoutMillis: 5000,
      cardinalityLimit: 500,
      attributeHashMemo: false,
      logLevel: 'debug',
    });
    expect(captured.warnings).toEqual([]);
  });

  it('prefers the metrics-specific OTLP endpoint, protocol and timeout, used as is', () => {
    const configuration = readConfiguration({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://ignored:4318',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://datadog-agent:4318/custom/path',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_TIMEOUT: '3000',
      OTEL_EXPORTER_OTLP_METRICS_TIMEOUT: '2000',
    });
    expect(configuration.otlp).toEqual({
      url: 'http://datadog-agent:4318/custom/path',
      protocol: 'http/protobuf',
      temporality: 'cumulative',
      timeoutMillis: 2000,
    });
  });

  it('treats `none` as no exporter at all', () => {
    expect(readConfiguration({ OTEL_METRICS_EXPORTER: 'none' }).exporters).toEqual([]);
    expect(readConfiguration({ OTEL_METRICS_EXPORTER: 'prometheus,none' }).exporters).toEqual([]);
  });

  it('warns once per bad value, naming it, and falls back to the default', () => {
    const environment = {
      OTEL_RESOURCE_ATTRIBUTES: 'no-equals-sign',
      OTEL_METRICS_EXPORTER: 'prometheus,zipkin',
      OTEL_EXPORTER_PROMETHEUS_PORT: '94640',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'sometimes',
      OTEL_METRIC_EXPORT_INTERVAL: '1e3',
      OTEL_EXPORTER_OTLP_TIMEOUT: '0',
      OTEL_LOG_LEVEL: 'loud',
      VA_PROMETHEUS_PREFIX: 'voice-agent',
      VA_METRICS_CARDINALITY_LIMIT: '-1',
      VA_METRICS_ATTRIBUTE_HASH_MEMO: 'sometimes',
    };
    const configuration = readConfiguration(environment);
    expect(configuration).toMatchObject({
      resourceAttributes: {},
      exporters: ['prometheus'],
      prometheus: { port: 9464, prefix: 'voice_agent' },
      otlp: {
        url: 'http://localhost:4318/v1/metrics',
        protocol: 'http/protobuf',
        temporality: 'cumulative',
        timeoutMillis: 10_000,
      },
      exportIntervalMillis: 60_000,
      logLevel: 'info',
      cardinalityLimit: 2000,
      attributeHashMemo: true,
    });
    expect(captured.warnings).toHaveLength(Object.keys(environment).length);
    expect(captured.warnings).toContain(
      '@va/otel-sdk OTEL_EXPORTER_PROMETHEUS_PORT="94640" is not valid (expected an integer from 0 to 65535); using the default, `9464`.',
    );
    // A second read of the same bad environment does not repeat the warnings.
    readConfiguration(environment);
    expect(captured.warnings).toHaveLength(Object.keys(environment).length);
  });
});
