// VA_METRICS_* credentials: how the environment becomes the bridge's `auth` option, and that no message
// ever shows a credential.

import type { EnvironmentVariable } from '@va/instrumentation-base/environment';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readConfiguration } from '../src/config/configuration.js';
import { readVariable } from '../src/config/read-variable.js';
import { VA_METRICS_BASIC_AUTH_PASSWORD, VA_METRICS_BEARER_TOKEN } from '../src/config/variables.js';
import { captureDiagWarnings } from './capture-diag.js';

describe('metrics endpoint credentials from the environment', () => {
  let captured: ReturnType<typeof captureDiagWarnings>;
  beforeEach(() => {
    captured = captureDiagWarnings();
  });
  afterEach(() => captured.restore());

  it('asks for no protection when none is configured', () => {
    expect(readConfiguration({}).prometheus.auth).toBeUndefined();
    expect(readConfiguration({ VA_METRICS_BEARER_TOKEN: '  ' }).prometheus.auth).toBeUndefined();
  });

  it('passes a bearer token and its file on; the bridge lets the file win', () => {
    expect(readConfiguration({ VA_METRICS_BEARER_TOKEN: ' s3cret-token ' }).prometheus.auth).toEqual({
      bearerToken: 's3cret-token',
    });
    expect(
      readConfiguration({ VA_METRICS_BEARER_TOKEN: 'a', VA_METRICS_BEARER_TOKEN_FILE: '/run/secrets/token' })
        .prometheus.auth,
    ).toEqual({ bearerToken: 'a', bearerTokenFile: '/run/secrets/token' });
  });

  it('passes basic auth on, with the password or its file', () => {
    expect(
      readConfiguration({
        VA_METRICS_BASIC_AUTH_USERNAME: 'prometheus',
        VA_METRICS_BASIC_AUTH_PASSWORD_FILE: '/run/secrets/password',
      }).prometheus.auth,
    ).toEqual({ basicAuth: { username: 'prometheus', passwordFile: '/run/secrets/password' } });
    expect(
      readConfiguration({
        VA_METRICS_BASIC_AUTH_USERNAME: 'prometheus',
        VA_METRICS_BASIC_AUTH_PASSWORD: 'pw',
        VA_METRICS_BEARER_TOKEN: 't',
      }).prometheus.auth,
    ).toEqual({ bearerToken: 't', basicAuth: { username: 'prometheus', password: 'pw' } });
  });

  it('still asks for basic auth with a password but no username, so that the bridge refuses (fails closed)', () => {
    expect(readConfiguration({ VA_METRICS_BASIC_AUTH_PASSWORD: 'pw' }).prometheus.auth).toEqual({
      basicAuth: { username: '', password: 'pw' },
    });
    expect(captured.warnings).toEqual([]);
  });

  it('marks the credential variables secret, and a secret is never shown in a warning', () => {
    expect(VA_METRICS_BEARER_TOKEN.secret).toBe(true);
    expect(VA_METRICS_BASIC_AUTH_PASSWORD.secret).toBe(true);
    const picky: EnvironmentVariable<string | undefined> = {
      ...VA_METRICS_BEARER_TOKEN,
      name: 'TEST_PICKY_SECRET',
      parse: () => undefined,
    };
    expect(readVariable(picky, { TEST_PICKY_SECRET: 'hunter2-do-not-log' })).toBeUndefined();
    expect(captured.warnings).toEqual([
      '@va/otel-sdk TEST_PICKY_SECRET (value hidden) is not valid (expected a bearer token); using the default, none: anyone may scrape.',
    ]);
  });
});
