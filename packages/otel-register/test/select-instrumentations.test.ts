import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INSTRUMENTATION_NAMES } from '../src/instrumentation-catalogue.js';
import { selectInstrumentations } from '../src/select-instrumentations.js';
import { captureDiagWarnings } from './support/diag-warnings.js';

describe('selectInstrumentations', () => {
  const warnings = captureDiagWarnings();

  it('loads everything by default', () => {
    expect(selectInstrumentations(undefined, [])).toEqual([...INSTRUMENTATION_NAMES]);
  });

  it('keeps only the enabled ones, minus the disabled ones, accepting full package names', () => {
    expect(
      selectInstrumentations(['http', '@opentelemetry/instrumentation-pg', 'PROCESS'], ['process']),
    ).toEqual(['http', 'pg']);
    expect(selectInstrumentations(undefined, ['runtime-node', 'express'])).toEqual([
      'http',
      'undici',
      'pg',
      'fastify',
      'openai',
      'anthropic',
      'ai',
      'google-genai',
      'livekit',
      'process',
    ]);
    expect(warnings).toEqual([]);
  });

  it('warns about an unknown name and applies the rest of the list', () => {
    expect(selectInstrumentations(['http', 'mysql'], [])).toEqual(['http']);
    expect(warnings).toEqual([
      '@va/otel-register OTEL_NODE_ENABLED_INSTRUMENTATIONS names an unknown instrumentation "mysql"; ignored. Known: http, undici, pg, express, fastify, openai, anthropic, ai, google-genai, livekit, runtime-node, process.',
    ]);
  });

  it('enables all, the default, when the enabled list names no instrumentation it knows', () => {
    expect(selectInstrumentations(['mysql'], ['process'])).toEqual(
      INSTRUMENTATION_NAMES.filter((name) => name !== 'process'),
    );
    expect(warnings).toEqual([
      '@va/otel-register OTEL_NODE_ENABLED_INSTRUMENTATIONS names an unknown instrumentation "mysql"; using the default, all instrumentations. Known: http, undici, pg, express, fastify, openai, anthropic, ai, google-genai, livekit, runtime-node, process.',
    ]);
  });

  it('is documented: docs/configuration.md lists every instrumentation name', () => {
    const documentation = readFileSync(new URL('../../../docs/configuration.md', import.meta.url), 'utf8');
    for (const name of INSTRUMENTATION_NAMES) expect(documentation).toContain(`| \`${name}\` |`);
  });
});

describe('PACKAGE_VERSION', () => {
  it('is the version in package.json, so otel_scope_version tells the truth', async () => {
    const { PACKAGE_VERSION } = await import('../src/version.js');
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(PACKAGE_VERSION).toBe(manifest.version);
  });
});
