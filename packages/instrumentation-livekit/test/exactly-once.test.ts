import { instrumentOpenAI } from '@va/instrumentation-openai';
import { type StartedServer, startOpenAICompatibleServer } from '@va/openai-compatible-server';
import { GEN_AI_CLIENT_OPERATION_DURATION, GEN_AI_CLIENT_TOKEN_USAGE, VOICE_TURNS } from '@va/semconv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instrumentLiveKitSession } from '../src/index.js';
import { type LiveKit, livekitRequire, loadLiveKit } from './support/livekit.js';
import { TestMetrics } from './support/metrics.js';

const REPLIES = 2;

/** The points of a metric recorded under one meter (instrumentation scope). */
async function scopePoints(metrics: TestMetrics, scope: string, name: string) {
  const { resourceMetrics } = await metrics.reader.collect();
  return resourceMetrics.scopeMetrics
    .filter((scopeMetrics) => scopeMetrics.scope.name === scope)
    .flatMap((scopeMetrics) => scopeMetrics.metrics.filter((metric) => metric.descriptor.name === name))
    .flatMap((metric) => metric.dataPoints as Array<{ value: { count: number; sum?: number } }>);
}

/**
 * The OpenAI plugin's LLM calling through an `openai` client that @va/instrumentation-openai measures
 * (`instrumentOpenAI(client)` given to the plugin as `client`; the register's patch of `openai` is the
 * same case): with `openAIClientMeasured`, each call's GenAI metrics are recorded once, by the openai
 * instrumentation, while the turns are still this package's.
 */
describe.each([
  { openAIClientMeasured: true, livekitRecords: 0 },
  { openAIClientMeasured: false, livekitRecords: REPLIES },
])(
  'the OpenAI plugin on an instrumented openai client, openAIClientMeasured $openAIClientMeasured',
  ({ openAIClientMeasured, livekitRecords }) => {
    const metrics = new TestMetrics();
    let server: StartedServer;

    beforeAll(async () => {
      server = await startOpenAICompatibleServer();
      const { agents, openai }: { agents: LiveKit; openai: LiveKit } = loadLiveKit();
      const { OpenAI } = livekitRequire()('openai');
      const client = instrumentOpenAI(
        new OpenAI({ baseURL: server.baseURL, apiKey: 'test-key', maxRetries: 0 }),
        {
          meterProvider: metrics.meterProvider,
        },
      );
      const llm = new openai.LLM({ model: 'gpt-4o-mini', client });
      const session = new agents.voice.AgentSession({ llm });
      instrumentLiveKitSession(session, { meterProvider: metrics.meterProvider, openAIClientMeasured });
      await session.start({ agent: new agents.voice.Agent({ instructions: 'You are terse.' }) });
      for (let reply = 0; reply < REPLIES; reply++)
        await session.run({ userInput: `Question ${reply}` }).wait();
      await session.close();
    });

    afterAll(async () => {
      await server?.close();
      await metrics.shutdown();
    });

    it('records each call’s duration and tokens under the openai instrumentation', async () => {
      const durations = await scopePoints(
        metrics,
        '@va/instrumentation-openai',
        GEN_AI_CLIENT_OPERATION_DURATION.name,
      );
      expect(durations.reduce((total, point) => total + point.value.count, 0)).toBe(REPLIES);
      const tokens = await scopePoints(metrics, '@va/instrumentation-openai', GEN_AI_CLIENT_TOKEN_USAGE.name);
      expect(tokens.reduce((total, point) => total + point.value.count, 0)).toBe(2 * REPLIES);
    });

    it(`records them ${livekitRecords === 0 ? 'not again' : 'a second time'} under this package`, async () => {
      const durations = await scopePoints(
        metrics,
        '@va/instrumentation-livekit',
        GEN_AI_CLIENT_OPERATION_DURATION.name,
      );
      expect(durations.reduce((total, point) => total + point.value.count, 0)).toBe(livekitRecords);
    });

    it('still counts the turns', async () => {
      expect(await metrics.value(VOICE_TURNS.name, { 'voice.turn.end_reason': 'completed' })).toBe(REPLIES);
    });
  },
);
