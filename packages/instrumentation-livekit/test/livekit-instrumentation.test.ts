import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { VOICE_SESSION_ACTIVE } from '@va/semconv';
import { afterAll, describe, expect, it } from 'vitest';
import { LiveKitInstrumentation } from '../src/index.js';
import { type LiveKit, livekitApp, loadLiveKit } from './support/livekit.js';
import { TestMetrics } from './support/metrics.js';

/** The module patch as the register's hook applies it to a loaded `@livekit/agents`. */
function patchOf(instrumentation: LiveKitInstrumentation) {
  const [patch] = instrumentation.getModulePatches();
  expect(patch?.module).toBe('@livekit/agents');
  return patch!;
}

/** A stand-in `@livekit/agents` whose `AgentSession.start` returns or throws what it is told. */
function fakeAgents(start: () => unknown) {
  class AgentSession {
    readonly listeners: string[] = [];
    on(event: string): this {
      this.listeners.push(event);
      return this;
    }
    start(): unknown {
      return start();
    }
  }
  return { voice: { AgentSession } };
}

describe('LiveKitInstrumentation', () => {
  const metrics = new TestMetrics();

  afterAll(async () => {
    await metrics.shutdown();
  });

  it('instruments a session as it starts, then returns exactly what start returns and throws what it throws', () => {
    const instrumentation = new LiveKitInstrumentation();
    const returned = Promise.resolve('started');
    const returning = fakeAgents(() => returned);
    patchOf(instrumentation).patch(returning, '1.9.0');
    const session = new returning.voice.AgentSession();
    expect(session.start()).toBe(returned);
    expect(session.listeners).toEqual(['metrics_collected', 'speech_created', 'close']);

    const failure = new Error('no room');
    const throwing = fakeAgents(() => {
      throw failure;
    });
    patchOf(instrumentation).patch(throwing, '1.9.0');
    expect(() => new throwing.voice.AgentSession().start()).toThrow(failure);
  });

  it('patches each loaded copy once, however often it is loaded, and unpatches it', () => {
    const instrumentation = new LiveKitInstrumentation();
    const agents = fakeAgents(() => undefined);
    const original = agents.voice.AgentSession.prototype.start;
    patchOf(instrumentation).patch(agents, '1.9.0');
    const wrapped = agents.voice.AgentSession.prototype.start;
    expect(wrapped).not.toBe(original);
    patchOf(instrumentation).patch(agents, '1.9.0');
    expect(agents.voice.AgentSession.prototype.start).toBe(wrapped);
    const session = new agents.voice.AgentSession();
    session.start();
    session.start();
    expect(session.listeners).toHaveLength(3);
    patchOf(instrumentation).unpatch(agents);
    expect(agents.voice.AgentSession.prototype.start).toBe(original);
    expect(() => patchOf(instrumentation).patch({}, '1.9.0')).not.toThrow();
  });

  it('measures a real AgentSession of the CommonJS and the ES module build, each its own class, on its meter provider', async () => {
    const { agents }: { agents: LiveKit } = loadLiveKit();
    const imported = await import(
      pathToFileURL(join(livekitApp(), 'node_modules/@livekit/agents/dist/index.js')).href
    );
    expect(imported.voice.AgentSession).not.toBe(agents.voice.AgentSession);
    const instrumentation = new LiveKitInstrumentation();
    instrumentation.setMeterProvider(metrics.meterProvider);
    for (const copy of [agents, imported]) patchOf(instrumentation).patch(copy, '1.9.0');
    const sessions = [agents, imported].map(
      (copy) => new copy.voice.AgentSession({ vad: null, turnHandling: { turnDetection: null } }),
    );
    for (const session of sessions)
      await session.start({ agent: new agents.voice.Agent({ instructions: '' }) });
    expect(await metrics.value(VOICE_SESSION_ACTIVE.name, {})).toBe(2);
    for (const session of sessions) await session.close();
    expect(await metrics.value(VOICE_SESSION_ACTIVE.name, {})).toBe(0);
    for (const copy of [agents, imported]) patchOf(instrumentation).unpatch(copy);
  });
});
