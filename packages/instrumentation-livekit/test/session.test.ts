import { type StartedServer, startOpenAICompatibleServer } from '@va/openai-compatible-server';
import {
  GEN_AI_CLIENT_CACHE_READ_INPUT_TOKENS,
  GEN_AI_CLIENT_OPERATION_DURATION,
  GEN_AI_CLIENT_OPERATION_TIME_TO_FIRST_CHUNK,
  GEN_AI_CLIENT_TOKEN_USAGE,
  VOICE_SESSION_ACTIVE,
  VOICE_SESSION_TOKENS,
  VOICE_SESSION_TURNS,
  VOICE_STAGE_DURATION,
  VOICE_TURN_RESPONSE_LATENCY,
  VOICE_TURNS,
} from '@va/semconv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instrumentLiveKitSession } from '../src/index.js';
import { type LiveKit, loadLiveKit } from './support/livekit.js';
import { TestMetrics } from './support/metrics.js';

const AGENT = { 'gen_ai.agent.name': 'text-agent' };
const USER_INPUTS = ['Hello there, my account number is 4711-2', 'What about my order?', 'Thanks, goodbye'];
const LLM = {
  'gen_ai.operation.name': 'chat',
  // The plugin reports its base URL's host (127.0.0.1:port): an OpenAI-compatible server, named after the plugin.
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'gpt-4o-mini',
};

interface ReportedLLM {
  readonly ttftMs: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly promptCachedTokens: number;
  readonly speechId: string;
}

/**
 * A whole text-mode session as far as LiveKit runs one without a server: a real `voice.AgentSession` with
 * the real OpenAI plugin's LLM pointed at the bundled OpenAI-compatible server, started without a room,
 * three `session.run({ userInput })` replies, then `close()`. Text input has no end of utterance and text
 * output no TTS: the turns count, but record no latency.
 */
describe('a text-mode AgentSession with the OpenAI plugin', () => {
  const metrics = new TestMetrics();
  const reported: ReportedLLM[] = [];
  let server: StartedServer;
  let activeWhileOpen = -1;

  beforeAll(async () => {
    server = await startOpenAICompatibleServer();
    const { agents, openai }: { agents: LiveKit; openai: LiveKit } = loadLiveKit();
    const llm = new openai.LLM({ model: 'gpt-4o-mini', baseURL: server.baseURL, apiKey: 'test-key' });
    const session = new agents.voice.AgentSession({ llm });
    instrumentLiveKitSession(session, { agentName: 'text-agent', meterProvider: metrics.meterProvider });
    instrumentLiveKitSession(session, { agentName: 'text-agent', meterProvider: metrics.meterProvider });
    session.on('metrics_collected', (event: { metrics: ReportedLLM & { type: string } }) => {
      if (event.metrics.type === 'llm_metrics') reported.push(event.metrics);
    });
    await session.start({ agent: new agents.voice.Agent({ instructions: 'You are terse.' }) });
    for (const userInput of USER_INPUTS) await session.run({ userInput }).wait();
    activeWhileOpen = await metrics.value(VOICE_SESSION_ACTIVE.name, AGENT);
    await session.close();
  });

  afterAll(async () => {
    await server?.close();
    await metrics.shutdown();
  });

  it('ran three LLM calls, one per reply, each reported with its speech', () => {
    expect(server.responses.filter((response) => response.path === '/v1/chat/completions')).toHaveLength(3);
    expect(reported).toHaveLength(3);
    expect(new Set(reported.map((call) => call.speechId)).size).toBe(3);
  });

  it('counts each reply as a completed turn, with no latency or stage (no end of utterance, no TTS)', async () => {
    expect(await metrics.value(VOICE_TURNS.name, { ...AGENT, 'voice.turn.end_reason': 'completed' })).toBe(3);
    expect(await metrics.points(VOICE_TURNS.name)).toHaveLength(1);
    expect(await metrics.points(VOICE_TURN_RESPONSE_LATENCY.name)).toHaveLength(0);
    expect(await metrics.points(VOICE_STAGE_DURATION.name)).toHaveLength(0);
  });

  it('records each LLM call once, with the tokens and times LiveKit reported', async () => {
    const sum = (field: keyof ReportedLLM) =>
      reported.reduce((total, call) => total + Number(call[field]), 0);
    expect((await metrics.point(GEN_AI_CLIENT_OPERATION_DURATION.name, LLM))?.count).toBe(3);
    const firstChunk = await metrics.point(GEN_AI_CLIENT_OPERATION_TIME_TO_FIRST_CHUNK.name, LLM);
    expect(firstChunk?.count).toBe(3);
    expect(firstChunk?.sum).toBeCloseTo(sum('ttftMs') / 1000, 9);
    const input = await metrics.point(GEN_AI_CLIENT_TOKEN_USAGE.name, {
      ...LLM,
      'gen_ai.token.type': 'input',
    });
    const output = await metrics.point(GEN_AI_CLIENT_TOKEN_USAGE.name, {
      ...LLM,
      'gen_ai.token.type': 'output',
    });
    expect(input?.sum).toBe(sum('promptTokens'));
    expect(output?.sum).toBe(sum('completionTokens'));
    // What the server billed: LiveKit's counts are the usage of the responses.
    const billed = (field: 'input' | 'output') =>
      server.responses.reduce((total, response) => total + (response.usage?.[field] ?? 0), 0);
    expect(input?.sum).toBe(billed('input'));
    expect(output?.sum).toBe(billed('output'));
    expect(await metrics.value(GEN_AI_CLIENT_CACHE_READ_INPUT_TOKENS.name, LLM)).toBe(
      sum('promptCachedTokens'),
    );
  });

  it('counts the session while it runs and closes it: three turns and their tokens', async () => {
    expect(activeWhileOpen).toBe(1);
    expect(await metrics.value(VOICE_SESSION_ACTIVE.name, AGENT)).toBe(0);
    const turns = await metrics.point(VOICE_SESSION_TURNS.name, AGENT);
    expect(turns?.count).toBe(1);
    expect(turns?.sum).toBe(3);
    const tokens = reported.reduce((total, call) => total + call.promptTokens + call.completionTokens, 0);
    expect((await metrics.point(VOICE_SESSION_TOKENS.name, AGENT))?.sum).toBe(tokens);
  });

  it('puts no user input, reply or identifier in any attribute', async () => {
    const values = await metrics.allAttributeValues();
    for (const value of values) {
      for (const input of USER_INPUTS) expect(input).not.toContain(value);
      expect(value).not.toMatch(/4711|speech_|chatcmpl|127\.0\.0\.1/);
    }
  });
});
