import { describe, expect, it } from 'vitest';
import { INSTRUMENTATION_NAMES } from '../src/instrumentation-catalogue.js';
import { readRegisterConfiguration, registerDisabled } from '../src/register-configuration.js';
import { captureDiagWarnings } from './support/diag-warnings.js';

describe('the register’s own variables', () => {
  const warnings = captureDiagWarnings();

  it('has the documented defaults for an empty environment', () => {
    expect(registerDisabled({})).toBe(false);
    expect(readRegisterConfiguration({})).toEqual({
      instrumentations: [...INSTRUMENTATION_NAMES],
      httpServerInstrumentation: 'va',
    });
    expect(warnings).toEqual([]);
  });

  it('reads every variable', () => {
    expect(registerDisabled({ OTEL_SDK_DISABLED: 'TRUE' })).toBe(true);
    expect(
      readRegisterConfiguration({
        OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,pg',
        OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'pg',
        VA_HTTP_SERVER_INSTRUMENTATION: 'Upstream',
      }),
    ).toEqual({ instrumentations: ['http'], httpServerInstrumentation: 'upstream' });
    expect(warnings).toEqual([]);
  });

  it('takes the upstream HTTP server path for http/dup, unless VA_HTTP_SERVER_INSTRUMENTATION says otherwise', () => {
    expect(
      readRegisterConfiguration({ OTEL_SEMCONV_STABILITY_OPT_IN: 'http/dup' }).httpServerInstrumentation,
    ).toBe('upstream');
    expect(
      readRegisterConfiguration({ OTEL_SEMCONV_STABILITY_OPT_IN: 'http' }).httpServerInstrumentation,
    ).toBe('va');
    expect(
      readRegisterConfiguration({
        OTEL_SEMCONV_STABILITY_OPT_IN: 'http/dup',
        VA_HTTP_SERVER_INSTRUMENTATION: 'va',
      }).httpServerInstrumentation,
    ).toBe('va');
  });

  it('warns once per bad value, naming it, and falls back to the default', () => {
    const environment = { OTEL_SDK_DISABLED: 'yes please', VA_HTTP_SERVER_INSTRUMENTATION: 'nginx' };
    expect(registerDisabled(environment)).toBe(false);
    expect(readRegisterConfiguration(environment).httpServerInstrumentation).toBe('va');
    expect(warnings).toEqual([
      '@va/otel-register OTEL_SDK_DISABLED="yes please" is not valid (expected `true` or `false`); using the default, `false`.',
      '@va/otel-register VA_HTTP_SERVER_INSTRUMENTATION="nginx" is not valid (expected `va` or `upstream`); using the default, `va`.',
    ]);
    // A second read of the same bad environment does not repeat the warnings.
    registerDisabled(environment);
    readRegisterConfiguration(environment);
    expect(warnings).toHaveLength(2);
  });
});
