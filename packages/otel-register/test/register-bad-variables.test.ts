// Every variable @va reads, given a value it cannot use, under `node --require @va/otel-register`: one
// clear warning naming the variable, the default in effect, and the app serving its own requests.
// The list comes from the variable lists of the packages the register runs (the SDK's, its own, the openai
// instrumentation's), so a variable added later is covered at once: it gets a bad value automatically, or
// this test fails until it is listed below with a reason.

import { randomUUID } from 'node:crypto';
import type { EnvironmentVariable, EnvironmentVariableList } from '@va/instrumentation-base/environment';
import { OPENAI_VARIABLES } from '@va/instrumentation-openai';
import { OTEL_SDK_VARIABLES } from '@va/otel-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { REGISTER_VARIABLES } from '../src/variables.js';
import { type ChildApp, httpGet, type RegisteredApp, startRegisteredApp } from './support/child-app.js';
import { parseExposition, type Sample, samplesOf } from './support/exposition.js';

const ENVIRONMENT_VARIABLES: EnvironmentVariableList = [
  ...OTEL_SDK_VARIABLES,
  ...REGISTER_VARIABLES,
  ...OPENAI_VARIABLES,
];

// Tried in order; a variable gets the first its own parser rejects.
const BAD_CANDIDATES = ['not a valid value!', '-1', '%zz', '1e3'];

/**
 * Variables whose parser accepts every non-empty string; the value is checked later (when it is used)
 * or cannot be wrong at all. Each has a bad value there, or `undefined` with the reason it cannot have one.
 */
const CHECKED_WHEN_USED: Readonly<Record<string, { bad: string | undefined; reason: string }>> = {
  OTEL_SERVICE_NAME: { bad: undefined, reason: 'free text: any non-empty string is a valid service name' },
  VA_GENAI_PROVIDER_NAME: {
    bad: undefined,
    reason: 'free text: any non-empty string is a valid gen_ai.provider.name',
  },
  OTEL_SEMCONV_STABILITY_OPT_IN: {
    bad: undefined,
    reason:
      'a list shared by every OpenTelemetry instrumentation in the process; an entry we do not know may be another library’s, so unknown entries are ignored, as the OpenTelemetry instrumentations do',
  },
  OTEL_NODE_ENABLED_INSTRUMENTATIONS: {
    bad: 'no-such-instrumentation',
    reason: 'instrumentation names are checked against the catalogue of @va/otel-register',
  },
  OTEL_NODE_DISABLED_INSTRUMENTATIONS: {
    bad: 'no-such-instrumentation',
    reason: 'instrumentation names are checked against the catalogue of @va/otel-register',
  },
  VA_GENAI_PRICES_FILE: { bad: '/no/such/prices.json', reason: 'the file is read when the register starts' },
};

/**
 * Variables that protect the metrics endpoint: a value that cannot be used must not fall back to the
 * default (no protection) but refuse every scrape. One warning still, and the app still serves. The
 * warning comes from @va/prometheus-bridge, which knows its options rather than the variables: it names
 * the setting in words (`what`), not the variable.
 */
const FAILS_CLOSED: Readonly<Record<string, { environment: Record<string, string>; what: string }>> = {
  VA_METRICS_BEARER_TOKEN: {
    environment: { VA_METRICS_BEARER_TOKEN: 'not a token!' },
    what: 'the bearer token has characters a bearer token cannot have',
  },
  VA_METRICS_BEARER_TOKEN_FILE: {
    environment: { VA_METRICS_BEARER_TOKEN_FILE: '/no/such/token' },
    what: 'bearer token file /no/such/token cannot be read',
  },
  VA_METRICS_BASIC_AUTH_USERNAME: {
    environment: {
      VA_METRICS_BASIC_AUTH_USERNAME: 'user:with-colon',
      VA_METRICS_BASIC_AUTH_PASSWORD: 'secret-password',
    },
    what: 'the basic auth username contains a colon',
  },
  VA_METRICS_BASIC_AUTH_PASSWORD: {
    environment: { VA_METRICS_BASIC_AUTH_PASSWORD: 'password-without-username' },
    what: 'the basic auth username is empty',
  },
  VA_METRICS_BASIC_AUTH_PASSWORD_FILE: {
    environment: {
      VA_METRICS_BASIC_AUTH_USERNAME: 'prometheus',
      VA_METRICS_BASIC_AUTH_PASSWORD_FILE: '/no/such/password',
    },
    what: 'basic auth password file /no/such/password cannot be read',
  },
};

function badValueFor(variable: EnvironmentVariable<unknown>): string | undefined {
  const checked = CHECKED_WHEN_USED[variable.name];
  if (checked !== undefined) return checked.bad;
  return BAD_CANDIDATES.find((candidate) => variable.parse(candidate) === undefined);
}

const HTTP_COUNT = 'voice_agent_http_server_request_duration_seconds_count';

/** Requests of the app's own route /hello the metrics count (status 200, method GET). */
function helloRequests(samples: readonly Sample[]): number {
  return samplesOf(samples, HTTP_COUNT, {
    http_request_method: 'GET',
    http_response_status_code: '200',
  }).reduce((sum, sample) => sum + sample.value, 0);
}

function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

describe('a bad value in any variable', () => {
  let app: ChildApp | undefined;

  afterEach(async () => {
    await app?.stop('SIGKILL');
    app = undefined;
  });

  it('has a bad value, a fail-closed case, or a stated reason for every variable', () => {
    const uncovered = ENVIRONMENT_VARIABLES.filter(
      (variable) => FAILS_CLOSED[variable.name] === undefined && badValueFor(variable) === undefined,
    ).filter((variable) => CHECKED_WHEN_USED[variable.name] === undefined);
    // A new free-text variable lands here: give it a bad value or a reason in CHECKED_WHEN_USED.
    expect(uncovered.map((variable) => variable.name)).toEqual([]);
    const known = new Set(ENVIRONMENT_VARIABLES.map((variable) => variable.name));
    for (const name of [...Object.keys(CHECKED_WHEN_USED), ...Object.keys(FAILS_CLOSED)]) {
      expect(known, `${name} is listed here but no longer exists`).toContain(name);
    }
  });

  const falling = ENVIRONMENT_VARIABLES.filter(
    (variable) => FAILS_CLOSED[variable.name] === undefined && badValueFor(variable) !== undefined,
  );

  it.each(falling.map((variable) => [variable.name, variable] as const))(
    '%s: one warning naming it, the default in effect, the app serving',
    async (name, variable) => {
      const bad = badValueFor(variable) as string;
      // A unique service name tells this app's target_info from any other process's.
      const serviceName = `bad-variable-${randomUUID()}`;
      const registered: RegisteredApp = await startRegisteredApp('http-pg-app.cjs', {
        OTEL_SERVICE_NAME: serviceName,
        [name]: bad,
      });
      app = registered.app;
      expect((await httpGet(`${registered.appUrl}/hello`)).status).toBe(200);

      // The default port is used when the configured one is bad; elsewhere the free one we gave.
      const metricsPort = name === 'OTEL_EXPORTER_PROMETHEUS_PORT' ? 9464 : registered.metricsPort;
      const stderr = app.stderr();
      // The metrics server is up (on 0.0.0.0, the default, when the host was bad) and this app's: the
      // default prefix, the default exporter, every instrumentation; /hello counted exactly once.
      const scrape = await httpGet(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(scrape.status).toBe(200);
      const samples = parseExposition(scrape.body);
      expect(samplesOf(samples, 'target_info', { service_name: serviceName })).toHaveLength(1);
      expect(helloRequests(samples)).toBe(1);
      // The start line (info, on stdout) says where metrics are served: the defaults where they apply.
      const started = app.stdout();
      if (name === 'OTEL_LOG_LEVEL') {
        // The default, info, shows the start line that warn (the test's usual level) hides.
        expect(started).toContain('metrics: prometheus on http://127.0.0.1:');
      } else {
        expect(started).not.toContain('metrics: prometheus on');
      }

      expect(occurrences(stderr, name), stderr).toBe(1);
      const warning = stderr.split('\n').find((line) => line.includes(name)) ?? '';
      expect(warning).toContain(bad);
    },
    30_000,
  );

  it.each(Object.entries(FAILS_CLOSED))(
    '%s: one warning saying what is wrong, every scrape refused, the app serving',
    async (_name, { environment, what }) => {
      const started = await startRegisteredApp('http-pg-app.cjs', environment);
      app = started.app;
      expect((await httpGet(`${started.appUrl}/hello`)).status).toBe(200);
      expect((await httpGet(`http://127.0.0.1:${started.metricsPort}/metrics`)).status).toBe(401);
      // The health endpoint stays open for probes.
      expect((await httpGet(`http://127.0.0.1:${started.metricsPort}/health`)).status).toBe(200);
      const stderr = app.stderr();
      const warnings = stderr.split('\n').filter((line) => line.includes('metrics authentication'));
      expect(warnings, stderr).toHaveLength(1);
      expect(warnings[0]).toContain(what);
      expect(warnings[0]).toContain('answered 401');
      // Never a secret itself in the log.
      for (const [key, value] of Object.entries(environment)) {
        if (/(?:PASSWORD|TOKEN)$/.test(key)) expect(stderr).not.toContain(value);
      }
    },
    30_000,
  );
});
