import { createRequire } from 'node:module';
import { AGENT_NODE_DURATION, GEN_AI_EXECUTE_TOOL_DURATION, GEN_AI_INVOKE_AGENT_DURATION } from '@va/semconv';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AGENT_CONTEXT_KEY,
  type AgentInstrumentation,
  createAgentInstrumentation,
  currentAgentContext,
  currentAgentName,
} from '../src/index.js';
import { TestMetrics } from './support/metrics.js';
import { series, sorted } from './support/series.js';

const INVOCATIONS = GEN_AI_INVOKE_AGENT_DURATION.name;
const NODES = AGENT_NODE_DURATION.name;
const TOOLS = GEN_AI_EXECUTE_TOOL_DURATION.name;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('the agent context', () => {
  let metrics: TestMetrics;
  let agent: AgentInstrumentation;

  beforeEach(() => {
    metrics = new TestMetrics();
    agent = createAgentInstrumentation({ meterProvider: metrics.meterProvider });
  });
  afterEach(async () => {
    await metrics.shutdown();
  });

  it('is empty outside any agent', () => {
    expect(currentAgentName()).toBeUndefined();
    expect(currentAgentContext()).toEqual({ agentName: undefined, nodeName: undefined });
  });

  it('gives a tool inside a node inside an agent the agent name, across awaits', async () => {
    const seen = await agent.invokeAgent('support-agent', async () => {
      await sleep(1);
      return agent.runNode('plan', async () => {
        await sleep(1);
        const inNode = currentAgentContext();
        const inTool = await agent.executeTool('lookup_order', async () => {
          await sleep(1);
          return currentAgentContext();
        });
        return { inNode, inTool };
      });
    });

    expect(seen.inNode).toEqual({ agentName: 'support-agent', nodeName: 'plan' });
    expect(seen.inTool).toEqual({ agentName: 'support-agent', nodeName: 'plan' });
    expect(currentAgentName()).toBeUndefined();
    expect(series(await metrics.points(TOOLS))).toEqual([
      {
        attributes: {
          'gen_ai.tool.name': 'lookup_order',
          'gen_ai.tool.type': 'function',
          'gen_ai.agent.name': 'support-agent',
        },
        count: 1,
      },
    ]);
  });

  it('lets an explicit agent name win, for the point and for the work inside', async () => {
    const inside = await agent.invokeAgent('outer', () =>
      agent.runNode('route', () => currentAgentName(), { agentName: 'router' }),
    );
    agent.invokeAgent('outer', () => agent.executeTool('search', () => 1, { agentName: 'searcher' }));

    expect(inside).toBe('router');
    expect(series(await metrics.points(NODES))).toEqual([
      { attributes: { 'agent.node.name': 'route', 'gen_ai.agent.name': 'router' }, count: 1 },
    ]);
    expect(series(await metrics.points(TOOLS))).toEqual([
      {
        attributes: {
          'gen_ai.tool.name': 'search',
          'gen_ai.tool.type': 'function',
          'gen_ai.agent.name': 'searcher',
        },
        count: 1,
      },
    ]);
  });

  it('lets the innermost agent win, and restores the outer one after it', async () => {
    const names = await agent.invokeAgent('orchestrator', () =>
      agent.runNode('delegate', async () => {
        const inner = await agent.invokeAgent('billing-agent', async () => {
          await sleep(1);
          return {
            context: currentAgentContext(),
            tool: agent.executeTool('refund', () => currentAgentName()),
          };
        });
        return { inner, after: currentAgentContext() };
      }),
    );

    // A nested agent has no node yet: the outer agent's node is not one of its own.
    expect(names.inner.context).toEqual({ agentName: 'billing-agent', nodeName: undefined });
    expect(names.inner.tool).toBe('billing-agent');
    expect(names.after).toEqual({ agentName: 'orchestrator', nodeName: 'delegate' });
    expect(series(await metrics.points(INVOCATIONS))).toEqual(
      sorted([
        { attributes: { 'gen_ai.agent.name': 'billing-agent' }, count: 1 },
        { attributes: { 'gen_ai.agent.name': 'orchestrator' }, count: 1 },
      ]),
    );
    expect(series(await metrics.points(TOOLS))).toEqual([
      {
        attributes: {
          'gen_ai.tool.name': 'refund',
          'gen_ai.tool.type': 'function',
          'gen_ai.agent.name': 'billing-agent',
        },
        count: 1,
      },
    ]);
  });

  it('keeps 100 interleaved invocations of two agents apart', async () => {
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, index) => {
        const agentName = index % 2 === 0 ? 'voice-agent' : 'chat-agent';
        return agent.invokeAgent(agentName, async () => {
          await sleep((index * 7) % 5);
          return agent.runNode('plan', async () => {
            await sleep((index * 3) % 4);
            const fromTool = await agent.executeTool('lookup_order', async () => {
              await sleep(index % 3);
              return currentAgentName();
            });
            return { agentName, fromTool, fromNode: currentAgentName() };
          });
        });
      }),
    );

    for (const result of results) {
      expect(result.fromTool).toBe(result.agentName);
      expect(result.fromNode).toBe(result.agentName);
    }
    expect(series(await metrics.points(INVOCATIONS))).toEqual(
      sorted([
        { attributes: { 'gen_ai.agent.name': 'voice-agent' }, count: 50 },
        { attributes: { 'gen_ai.agent.name': 'chat-agent' }, count: 50 },
      ]),
    );
    expect(series(await metrics.points(NODES))).toEqual(
      sorted([
        { attributes: { 'agent.node.name': 'plan', 'gen_ai.agent.name': 'voice-agent' }, count: 50 },
        { attributes: { 'agent.node.name': 'plan', 'gen_ai.agent.name': 'chat-agent' }, count: 50 },
      ]),
    );
    expect(series(await metrics.points(TOOLS))).toEqual(
      sorted(
        ['voice-agent', 'chat-agent'].map((agentName) => ({
          attributes: {
            'gen_ai.tool.name': 'lookup_order',
            'gen_ai.tool.type': 'function',
            'gen_ai.agent.name': agentName,
          },
          count: 50,
        })),
      ),
    );
  });

  it('lives on the global object under the documented symbol, created once', () => {
    expect(AGENT_CONTEXT_KEY).toBe(Symbol.for('@va/instrumentation-agent.context'));
    agent.invokeAgent('a', () => undefined);
    const store = (globalThis as Record<symbol, unknown>)[AGENT_CONTEXT_KEY] as {
      getStore(): unknown;
      run<R>(store: unknown, fn: () => R): R;
    };
    expect(typeof store.getStore).toBe('function');
    agent.invokeAgent('b', () => undefined);
    expect((globalThis as Record<symbol, unknown>)[AGENT_CONTEXT_KEY]).toBe(store);

    // A reader with no dependency on this package, as @va/instrumentation-openai reads it.
    const seen = agent.invokeAgent('support-agent', () => store.getStore());
    expect(seen).toEqual({ agentName: 'support-agent' });
    // And the other way round: a context set through the global store is ours.
    expect(store.run({ agentName: 'set-elsewhere' }, () => currentAgentName())).toBe('set-elsewhere');
  });

  it('is one store for the CommonJS and ESM builds of this package', async () => {
    const cjs = createRequire(import.meta.url)('../dist/cjs/index.js') as typeof import('../src/index.js');
    const esm = (await import('../dist/esm/index.js' as string)) as typeof import('../src/index.js');
    expect(cjs.invokeAgent).not.toBe(esm.invokeAgent);

    expect(cjs.invokeAgent('from-cjs', () => esm.currentAgentName())).toBe('from-cjs');
    expect(await esm.invokeAgent('from-esm', async () => cjs.currentAgentName())).toBe('from-esm');
    expect(cjs.invokeAgent('from-cjs', () => currentAgentName())).toBe('from-cjs');
  });
});
