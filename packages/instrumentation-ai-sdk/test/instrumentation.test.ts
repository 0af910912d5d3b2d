import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AISDKInstrumentation, instrumentModel } from '../src/index.js';
import type { AIModule } from './support/ai-majors.js';
import { TestMetrics } from './support/metrics.js';
import { useTestbed } from './support/testbed.js';

const require = createRequire(import.meta.url);
const DURATION = 'gen_ai.client.operation.duration';
const PROMPT = 'Say hello';

// The CommonJS builds (ai 4 to 6), patched directly as require-in-the-middle would hand them over; the
// ES module namespaces (every major) are patched by the register under --import (packages/otel-register).
for (const major of [4, 5, 6]) {
  describe(`AISDKInstrumentation: the CommonJS build of ai ${major}`, () => {
    const exports = require(`ai-${major}`) as AIModule;
    const testbed = useTestbed(major);
    let instrumentation: AISDKInstrumentation;
    let patched: AIModule;

    beforeEach(() => {
      instrumentation = new AISDKInstrumentation({ meterProvider: testbed.metrics.meterProvider });
      const [patch] = instrumentation.getModulePatches();
      patched = patch?.patch(exports, `${major}.0.0`) as AIModule;
    });
    afterEach(async () => {
      for (const patch of instrumentation.getModulePatches()) patch.unpatch(exports);
    });

    const calls = async () =>
      (await testbed.metrics.points(DURATION)).reduce((sum, point) => sum + (point.count ?? 0), 0);

    it('gives require() exports that measure every model call, and leaves the module and the model as they were', async () => {
      expect(patched).not.toBe(exports);
      expect(Object.keys(patched)).toEqual(Object.keys(exports));
      expect((patched as unknown as { __esModule?: boolean }).__esModule).toBe(true);
      const model = testbed.sdk.openai(testbed.server.baseURL).chat('gpt-4o-mini');
      const options = { model, prompt: PROMPT, maxRetries: 0 };
      const result = await patched.generateText(options);
      expect(options.model).toBe(model);
      expect(result.text).toContain('Hello');
      await patched.embed({
        model: testbed.sdk.openai(testbed.server.baseURL).embedding('text-embedding-3-small'),
        value: 'hi',
      });
      expect(
        (await testbed.metrics.points(DURATION)).map((point) => [
          point.attributes['gen_ai.operation.name'],
          point.count,
        ]),
      ).toEqual([
        ['chat', 1],
        ['embeddings', 1],
      ]);

      await exports.generateText(options);
      expect(await calls()).toBe(2);
    });

    it.skipIf(major < 5)(
      'an agent (Experimental_Agent, ToolLoopAgent) measures the model calls it makes',
      async () => {
        type Agent = { generate(options: Record<string, unknown>): Promise<{ text: string }> };
        type AgentClass = new (settings: Record<string, unknown>) => Agent;
        const agentClass = (patched as unknown as Record<string, AgentClass>)
          .Experimental_Agent as AgentClass;
        const original = (exports as unknown as Record<string, AgentClass>).Experimental_Agent as AgentClass;
        expect(agentClass).not.toBe(original);
        const model = testbed.sdk.openai(testbed.server.baseURL).chat('gpt-4o-mini');
        const settings = { model, maxRetries: 0 };
        const agent = new agentClass(settings);
        expect(agent).toBeInstanceOf(original);
        expect(agent).toBeInstanceOf(agentClass);
        expect(settings.model).toBe(model);
        const result = await agent.generate({ prompt: PROMPT });
        expect(result.text).toContain('Hello');
        expect(await calls()).toBe(1);
        class OwnAgent extends agentClass {}
        await new OwnAgent(settings).generate({ prompt: PROMPT });
        expect(await calls()).toBe(2);
        if (major >= 6) {
          const { ToolLoopAgent } = patched as unknown as Record<string, AgentClass>;
          expect(ToolLoopAgent).toBe(agentClass);
        }
      },
    );

    it.skipIf(major < 5)('a model given by name is resolved as the SDK does, then measured', async () => {
      const global = globalThis as { AI_SDK_DEFAULT_PROVIDER?: unknown };
      global.AI_SDK_DEFAULT_PROVIDER = testbed.sdk.openai(testbed.server.baseURL);
      try {
        const result = await patched.generateText({ model: 'gpt-4o-mini', prompt: PROMPT, maxRetries: 0 });
        expect(result.text).toContain('Hello');
        await patched.embed({ model: 'text-embedding-3-small', value: 'hi', maxRetries: 0 });
      } finally {
        delete global.AI_SDK_DEFAULT_PROVIDER;
      }
      expect(
        (await testbed.metrics.points(DURATION)).map((point) => [
          point.attributes['gen_ai.operation.name'],
          point.attributes['gen_ai.provider.name'],
          point.attributes['gen_ai.request.model'],
          point.count,
        ]),
      ).toEqual([
        ['chat', 'openai', 'gpt-4o-mini', 1],
        ['embeddings', 'openai', 'text-embedding-3-small', 1],
      ]);
    });

    it('a model already wrapped by instrumentModel() is measured once, by its own options', async () => {
      const own = new TestMetrics();
      const model = instrumentModel(testbed.sdk.openai(testbed.server.baseURL).chat('gpt-4o-mini'), {
        meterProvider: own.meterProvider,
      });
      await patched.generateText({ model, prompt: PROMPT, maxRetries: 0 });
      expect(await calls()).toBe(0);
      expect((await own.points(DURATION)).map((point) => point.count)).toEqual([1]);
      await own.shutdown();
    });

    it('measures nothing once unpatched, and again once patched', async () => {
      const model = testbed.sdk.openai(testbed.server.baseURL).chat('gpt-4o-mini');
      const [patch] = instrumentation.getModulePatches();
      patch?.unpatch(exports);
      await patched.generateText({ model, prompt: PROMPT, maxRetries: 0 });
      expect(await calls()).toBe(0);
      // The application keeps the exports it got: patching again switches them back on.
      expect(patch?.patch(exports, `${major}.0.0`)).toBeUndefined();
      await patched.generateText({ model, prompt: PROMPT, maxRetries: 0 });
      expect(await calls()).toBe(1);
    });
  });
}
