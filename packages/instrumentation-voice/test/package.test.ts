import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VOICE_METRICS, VOICE_STAGE, VOICE_TURN_END_REASON, VOICE_TURNS } from '@va/semconv';
import { afterAll, describe, expect, it } from 'vitest';
import { createVoiceTracker, PACKAGE_NAME, PACKAGE_VERSION, STANDARD_MARKS } from '../src/index.js';
import { SPEECH_TO_SPEECH_STEPS, STANDARD_STEPS } from '../src/pipeline.js';
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

  it('spells no metric name in its sources: they all come from @va/semconv', () => {
    for (const file of readdirSync(SOURCES)) {
      const source = readFileSync(join(SOURCES, file), 'utf8');
      for (const metric of VOICE_METRICS) {
        expect(source, `${file} spells ${metric.name}`).not.toContain(`'${metric.name}'`);
        expect(source, `${file} spells ${metric.name}`).not.toContain(`"${metric.name}"`);
      }
    }
  });

  it('creates every voice metric with the conventions’ unit, description and buckets', async () => {
    const tracker = createVoiceTracker({ meterProvider: metrics.meterProvider, agentName: 'a' });
    const session = tracker.startSession();
    const turn = session.startTurn();
    turn.mark('user_speech_end');
    turn.mark('first_audio_out');
    turn.interrupted();
    turn.addUsage({ sttAudioSeconds: 1, ttsCharacters: 1, ttsAudioSeconds: 1, inputTokens: 1 });
    turn.end();
    session.end();
    const descriptors = await metrics.descriptors();
    expect(descriptors.map((descriptor) => descriptor.name).sort()).toEqual(
      VOICE_METRICS.map((metric) => metric.name).sort(),
    );
    for (const metric of VOICE_METRICS) {
      const descriptor = descriptors.find((candidate) => candidate.name === metric.name)!;
      expect(descriptor.unit).toBe(metric.unit);
      expect(descriptor.description).toBe(metric.description);
      if (metric.buckets !== undefined) {
        const [point] = await metrics.points(metric.name);
        expect(point!.bucketCounts).toHaveLength(metric.buckets.length + 1);
      }
    }
  });

  it('names its standard stages exactly as @va/semconv lists them', () => {
    const stages = [...STANDARD_STEPS, ...SPEECH_TO_SPEECH_STEPS].map((step) => step.stage);
    expect([...stages].sort()).toEqual([...VOICE_STAGE.values!].sort());
    expect(['user_speech_end', ...STANDARD_STEPS.map((step) => step.mark)]).toEqual([...STANDARD_MARKS]);
  });

  it('ends turns with the conventions’ reasons, and only those', async () => {
    const reasons = new TestMetrics();
    const tracker = createVoiceTracker({ meterProvider: reasons.meterProvider });
    tracker.startTurn().end('completed');
    tracker.startTurn().end('interrupted');
    tracker.startTurn().end('error');
    const session = tracker.startSession();
    session.startTurn();
    session.end();
    const recorded = (await reasons.points(VOICE_TURNS.name)).map(
      (point) => point.attributes[VOICE_TURN_END_REASON.key],
    );
    expect(recorded.sort()).toEqual([...VOICE_TURN_END_REASON.values!].sort());
    await reasons.shutdown();
  });
});
