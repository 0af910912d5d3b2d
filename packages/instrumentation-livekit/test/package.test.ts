import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ALL_METRICS, VOICE_TURNS } from '@va/semconv';
import { afterAll, describe, expect, it } from 'vitest';
import { instrumentLiveKitSession, PACKAGE_NAME, PACKAGE_VERSION } from '../src/index.js';
import { LIVEKIT_AGENTS_VERSION, livekitApp, livekitRequire, loadLiveKit } from './support/livekit.js';
import { TestMetrics } from './support/metrics.js';

const SOURCES = fileURLToPath(new URL('../src', import.meta.url));

describe('the package', () => {
  const metrics = new TestMetrics();

  afterAll(async () => {
    await metrics.shutdown();
  });

  it('reports the version of its package.json as its scope version', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(PACKAGE_NAME).toBe(manifest.name);
    expect(PACKAGE_VERSION).toBe(manifest.version);
  });

  it('spells no metric name in its sources, and never loads @livekit/agents itself', () => {
    for (const file of readdirSync(SOURCES)) {
      const source = readFileSync(join(SOURCES, file), 'utf8');
      for (const metric of ALL_METRICS)
        expect(source, `${file} spells ${metric.name}`).not.toContain(`'${metric.name}'`);
      expect(source, file).not.toMatch(/from '@livekit|require\('@livekit/);
    }
  });

  it(`finds @livekit/agents ${LIVEKIT_AGENTS_VERSION} loading on this Node through require and import alike`, async () => {
    const required = livekitRequire()('@livekit/agents');
    const imported = await import(
      pathToFileURL(join(livekitApp(), 'node_modules/@livekit/agents/dist/index.js')).href
    );
    for (const agents of [required, imported]) {
      expect(typeof agents.voice.AgentSession).toBe('function');
      expect(typeof agents.voice.createMetricsCollectedEvent).toBe('function');
    }
  });

  it('survives events it cannot read, without throwing into the session’s emitter or counting them', async () => {
    const { agents } = loadLiveKit();
    const session = new agents.voice.AgentSession({ vad: null, turnHandling: { turnDetection: null } });
    instrumentLiveKitSession(session, { meterProvider: metrics.meterProvider });
    const odd = [undefined, null, {}, { metrics: null }, { metrics: { type: 'llm_metrics', speechId: 7 } }];
    for (const event of odd) {
      expect(() => session.emit('metrics_collected', event)).not.toThrow();
      expect(() => session.emit('speech_created', event)).not.toThrow();
    }
    expect(() => session.emit('speech_created', { speechHandle: { id: 'speech_1' } })).not.toThrow();
    session.emit('close', agents.voice.createCloseEvent('user_initiated'));
    expect(await metrics.points(VOICE_TURNS.name)).toHaveLength(0);
    for (const target of [undefined, null, 42, {}]) {
      expect(() => instrumentLiveKitSession(target as never)).not.toThrow();
    }
  });
});
