import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import { RunnableLambda } from '@langchain/core/runnables';
import { tool } from '@langchain/core/tools';
import {
  Annotation,
  Command,
  END,
  entrypoint,
  interrupt,
  MemorySaver,
  MessagesAnnotation,
  START,
  StateGraph,
  task,
} from '@langchain/langgraph';
import { ToolNode } from '@langchain/langgraph/prebuilt';
import type { MeterProvider } from '@opentelemetry/api';
import { AGENT_NODE_DURATION, GEN_AI_EXECUTE_TOOL_DURATION, GEN_AI_INVOKE_AGENT_DURATION } from '@va/semconv';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  createAgentInstrumentation,
  createLangGraphMetricsHandler,
  currentAgentName,
  instrumentLangGraph,
} from '../src/index.js';
import { captureDiagWarnings } from './support/diag.js';
import { TestMetrics } from './support/metrics.js';
import { series, sorted } from './support/series.js';

const INVOCATIONS = GEN_AI_INVOKE_AGENT_DURATION.name;
const NODES = AGENT_NODE_DURATION.name;
const TOOLS = GEN_AI_EXECUTE_TOOL_DURATION.name;

class ToolTimeoutError extends Error {}

/** What the app's code saw of the agent context, by where it ran. */
const contextSeen: string[] = [];

const lookupOrder = tool(
  async ({ id }: { id: string }) => {
    contextSeen.push(`lookup_order:${currentAgentName()}`);
    return `order ${id} shipped`;
  },
  { name: 'lookup_order', description: 'Finds an order', schema: z.object({ id: z.string() }) },
);
const refundOrder = tool(
  async (_input: { id: string }): Promise<string> => {
    throw new ToolTimeoutError('the refund service did not answer');
  },
  { name: 'refund_order', description: 'Refunds an order', schema: z.object({ id: z.string() }) },
);

// The user's node functions: plain functions, passed in as they are.
function plan(_state: typeof MessagesAnnotation.State) {
  contextSeen.push(`plan:${currentAgentName()}`);
  return {
    messages: [
      new AIMessage({
        content: '',
        tool_calls: [
          { id: 'call-1', name: 'lookup_order', args: { id: 'A-1' } },
          { id: 'call-2', name: 'refund_order', args: { id: 'A-1' } },
        ],
      }),
    ],
  };
}
async function respond(state: typeof MessagesAnnotation.State) {
  await new Promise((resolve) => setTimeout(resolve, 5));
  contextSeen.push(`respond:${currentAgentName()}`);
  return { messages: [new AIMessage(`answered after ${state.messages.length} messages`)] };
}

function buildSupportGraph() {
  return new StateGraph(MessagesAnnotation)
    .addNode('plan', plan)
    .addNode('tools', new ToolNode([lookupOrder, refundOrder]))
    .addNode('respond', respond)
    .addEdge(START, 'plan')
    .addEdge('plan', 'tools')
    .addEdge('tools', 'respond')
    .addEdge('respond', END)
    .compile();
}

function contentsOf(messages: BaseMessage[]): unknown[] {
  return messages.map((message) => [message.getType(), message.content]);
}

const agentNodes = (agentName: string | undefined, runs: number) =>
  sorted(
    ['plan', 'tools', 'respond'].map((node) => ({
      attributes: {
        'agent.node.name': node,
        ...(agentName === undefined ? {} : { 'gen_ai.agent.name': agentName }),
      },
      count: runs,
    })),
  );

const agentTools = (agentName: string | undefined, runs: number) => {
  const agent = agentName === undefined ? {} : { 'gen_ai.agent.name': agentName };
  return sorted([
    {
      attributes: { 'gen_ai.tool.name': 'lookup_order', 'gen_ai.tool.type': 'function', ...agent },
      count: runs,
    },
    {
      attributes: {
        'gen_ai.tool.name': 'refund_order',
        'gen_ai.tool.type': 'function',
        ...agent,
        'error.type': 'ToolTimeoutError',
      },
      count: runs,
    },
  ]);
};

describe('LangGraph', () => {
  let metrics: TestMetrics;

  beforeEach(() => {
    metrics = new TestMetrics();
    contextSeen.length = 0;
  });
  afterEach(async () => {
    await metrics.shutdown();
  });

  it('instrumentLangGraph: each node execution, tool call and graph run, counted exactly', async () => {
    const graph = buildSupportGraph();
    const support = instrumentLangGraph(graph, {
      agentName: 'support-agent',
      meterProvider: metrics.meterProvider,
    });

    for (let run = 0; run < 3; run++) await support.invoke({ messages: [] });
    for await (const _chunk of await support.stream({ messages: [] })) {
      // consumed to the end, like a caller streaming updates
    }

    expect(series(await metrics.points(INVOCATIONS))).toEqual([
      { attributes: { 'gen_ai.agent.name': 'support-agent' }, count: 4 },
    ]);
    expect(series(await metrics.points(NODES))).toEqual(agentNodes('support-agent', 4));
    expect(series(await metrics.points(TOOLS))).toEqual(agentTools('support-agent', 4));
    // The app's own code ran inside the agent's context: nodes and tools alike.
    expect(new Set(contextSeen)).toEqual(
      new Set(['plan:support-agent', 'lookup_order:support-agent', 'respond:support-agent']),
    );
  });

  it('leaves the graph passed in, and the node functions, as they were', async () => {
    const graph = buildSupportGraph();
    const namesBefore = [Object.getOwnPropertyNames(plan), Object.getOwnPropertyNames(respond)];
    const support = instrumentLangGraph(graph, {
      agentName: 'support-agent',
      meterProvider: metrics.meterProvider,
    });

    const plain = await graph.invoke({ messages: [] });
    expect(await metrics.points(NODES)).toEqual([]);
    expect(contextSeen).toContain('plan:undefined');

    const instrumented = await support.invoke({ messages: [] });
    expect(contentsOf(instrumented.messages)).toEqual(contentsOf(plain.messages));
    expect(support).not.toBe(graph);
    expect(Object.hasOwn(graph, 'stream')).toBe(false);
    expect([Object.getOwnPropertyNames(plan), Object.getOwnPropertyNames(respond)]).toEqual(namesBefore);
    expect(graph.nodes['plan']).toBe(support.nodes['plan']);
    expect((await metrics.points(NODES)).map((point) => point.count)).toEqual([1, 1, 1]);
  });

  it('a handler without an agent name: nodes and tools take the enclosing invokeAgent, which counts the run', async () => {
    const agent = createAgentInstrumentation({ meterProvider: metrics.meterProvider });
    const handler = createLangGraphMetricsHandler({ meterProvider: metrics.meterProvider });
    const graph = buildSupportGraph();

    await agent.invokeAgent('voice-agent', () => graph.invoke({ messages: [] }, { callbacks: [handler] }));
    await graph.withConfig({ callbacks: [handler] }).invoke({ messages: [] });

    expect(series(await metrics.points(INVOCATIONS))).toEqual([
      { attributes: { 'gen_ai.agent.name': 'voice-agent' }, count: 1 },
    ]);
    expect(series(await metrics.points(NODES))).toEqual(
      sorted([...agentNodes('voice-agent', 1), ...agentNodes(undefined, 1)]),
    );
    expect(series(await metrics.points(TOOLS))).toEqual(
      sorted([...agentTools('voice-agent', 1), ...agentTools(undefined, 1)]),
    );
  });

  it('counts a node once even when a runnable or subgraph inside it bears its name; a retry is one execution per attempt', async () => {
    const Count = Annotation.Root({
      n: Annotation<number>({ reducer: (a, b) => a + b, default: () => 0 }),
    });
    const research = new StateGraph(Count)
      .addNode('inner', () => ({ n: 1 }))
      .addEdge(START, 'inner')
      .addEdge('inner', END)
      .compile({ name: 'research' });
    const think = RunnableLambda.from(async () => 1).withConfig({ runName: 'think' });
    let attempts = 0;
    const graph = new StateGraph(Count)
      .addNode('think', async () => ({ n: await think.invoke(0) }))
      .addNode('research', research)
      .addNode(
        'flaky',
        () => {
          attempts++;
          if (attempts === 1) throw new TypeError('first attempt fails');
          return { n: 1 };
        },
        { retryPolicy: { maxAttempts: 2, initialInterval: 1, jitter: false, logWarning: false } },
      )
      .addEdge(START, 'think')
      .addEdge('think', 'research')
      .addEdge('research', 'flaky')
      .addEdge('flaky', END)
      .compile();

    const result = await instrumentLangGraph(graph, {
      agentName: 'researcher',
      meterProvider: metrics.meterProvider,
    }).invoke({ n: 0 });

    // 1 (think) + 2 (the subgraph hands back its whole state, 1 + its own 1) + 1 (flaky).
    expect(result.n).toBe(4);
    const agent = { 'gen_ai.agent.name': 'researcher' };
    expect(series(await metrics.points(NODES))).toEqual(
      sorted([
        { attributes: { 'agent.node.name': 'think', ...agent }, count: 1 },
        { attributes: { 'agent.node.name': 'research', ...agent }, count: 1 },
        { attributes: { 'agent.node.name': 'inner', ...agent }, count: 1 },
        { attributes: { 'agent.node.name': 'flaky', ...agent }, count: 1 },
        { attributes: { 'agent.node.name': 'flaky', ...agent, 'error.type': 'TypeError' }, count: 1 },
      ]),
    );
    expect(series(await metrics.points(INVOCATIONS))).toEqual([{ attributes: agent, count: 1 }]);
  });

  it('a failing node: its error reaches the caller as without us, and is counted on the node and the run', async () => {
    const error = new RangeError('no route');
    const graph = new StateGraph(MessagesAnnotation)
      .addNode('route', () => {
        throw error;
      })
      .addEdge(START, 'route')
      .compile();

    const plainFailure = await graph.invoke({ messages: [] }).catch((thrown: unknown) => thrown);
    const failure = await instrumentLangGraph(graph, {
      agentName: 'router',
      meterProvider: metrics.meterProvider,
    })
      .invoke({ messages: [] })
      .catch((thrown: unknown) => thrown);

    expect(plainFailure).toBe(error);
    expect(failure).toBe(error);
    expect(series(await metrics.points(NODES))).toEqual([
      {
        attributes: { 'agent.node.name': 'route', 'gen_ai.agent.name': 'router', 'error.type': 'RangeError' },
        count: 1,
      },
    ]);
    expect(series(await metrics.points(INVOCATIONS))).toEqual([
      { attributes: { 'gen_ai.agent.name': 'router', 'error.type': 'RangeError' }, count: 1 },
    ]);
  });

  it('two instrumented graphs running concurrently keep their own agent names', async () => {
    const voice = instrumentLangGraph(buildSupportGraph(), {
      agentName: 'voice-agent',
      meterProvider: metrics.meterProvider,
    });
    const chat = instrumentLangGraph(buildSupportGraph(), {
      agentName: 'chat-agent',
      meterProvider: metrics.meterProvider,
    });

    await Promise.all(
      Array.from({ length: 10 }, (_, index) => (index % 2 === 0 ? voice : chat).invoke({ messages: [] })),
    );

    expect(series(await metrics.points(INVOCATIONS))).toEqual(
      sorted([
        { attributes: { 'gen_ai.agent.name': 'voice-agent' }, count: 5 },
        { attributes: { 'gen_ai.agent.name': 'chat-agent' }, count: 5 },
      ]),
    );
    expect(series(await metrics.points(NODES))).toEqual(
      sorted([...agentNodes('voice-agent', 5), ...agentNodes('chat-agent', 5)]),
    );
    expect(series(await metrics.points(TOOLS))).toEqual(
      sorted([...agentTools('voice-agent', 5), ...agentTools('chat-agent', 5)]),
    );
    expect(contextSeen.filter((seen) => seen.startsWith('plan:voice-agent'))).toHaveLength(5);
    expect(contextSeen.filter((seen) => seen.startsWith('plan:chat-agent'))).toHaveLength(5);
  });

  it('a graph instrumented on its own inside an instrumented graph: the innermost agent wins, nothing twice', async () => {
    const Count = Annotation.Root({
      n: Annotation<number>({ reducer: (a, b) => a + b, default: () => 0 }),
    });
    const billing = instrumentLangGraph(
      new StateGraph(Count)
        .addNode('refund', () => {
          contextSeen.push(`refund:${currentAgentName()}`);
          return { n: 1 };
        })
        .addEdge(START, 'refund')
        .addEdge('refund', END)
        .compile(),
      { agentName: 'billing-agent', meterProvider: metrics.meterProvider },
    );
    const orchestrator = instrumentLangGraph(
      new StateGraph(Count)
        .addNode('route', () => ({ n: 1 }))
        .addNode('billing', billing)
        .addEdge(START, 'route')
        .addEdge('route', 'billing')
        .addEdge('billing', END)
        .compile(),
      { agentName: 'orchestrator', meterProvider: metrics.meterProvider },
    );

    await orchestrator.invoke({ n: 0 });

    expect(series(await metrics.points(INVOCATIONS))).toEqual(
      sorted([
        { attributes: { 'gen_ai.agent.name': 'orchestrator' }, count: 1 },
        { attributes: { 'gen_ai.agent.name': 'billing-agent' }, count: 1 },
      ]),
    );
    expect(series(await metrics.points(NODES))).toEqual(
      sorted([
        { attributes: { 'agent.node.name': 'route', 'gen_ai.agent.name': 'orchestrator' }, count: 1 },
        { attributes: { 'agent.node.name': 'billing', 'gen_ai.agent.name': 'orchestrator' }, count: 1 },
        { attributes: { 'agent.node.name': 'refund', 'gen_ai.agent.name': 'billing-agent' }, count: 1 },
      ]),
    );
    expect(contextSeen).toEqual(['refund:billing-agent']);
  });

  it('the functional API: the entrypoint and each task call are node executions', async () => {
    const double = task('double', async (value: number) => value * 2);
    const workflow = instrumentLangGraph(
      entrypoint('workflow', async (value: number) => (await double(value)) + (await double(value + 1))),
      { agentName: 'calculator', meterProvider: metrics.meterProvider },
    );

    expect(await workflow.invoke(1)).toBe(6);

    const agent = { 'gen_ai.agent.name': 'calculator' };
    expect(series(await metrics.points(NODES))).toEqual(
      sorted([
        { attributes: { 'agent.node.name': 'workflow', ...agent }, count: 1 },
        { attributes: { 'agent.node.name': 'double', ...agent }, count: 2 },
      ]),
    );
    expect(series(await metrics.points(INVOCATIONS))).toEqual([{ attributes: agent, count: 1 }]);
  });

  it('an interrupted node is counted with GraphInterrupt; the run ends normally and resumes; updateState is no run', async () => {
    const Count = Annotation.Root({
      n: Annotation<number>({ reducer: (a, b) => a + b, default: () => 0 }),
    });
    const graph = instrumentLangGraph(
      new StateGraph(Count)
        .addNode('ask', () => ({ n: interrupt<string, number>('how many?') }))
        .addEdge(START, 'ask')
        .addEdge('ask', END)
        .compile({ checkpointer: new MemorySaver() }),
      { agentName: 'approver', meterProvider: metrics.meterProvider },
    );
    const config = { configurable: { thread_id: 'thread-1' } };

    await graph.invoke({ n: 0 }, config);
    expect((await graph.invoke(new Command({ resume: 5 }), config)).n).toBe(5);
    await graph.updateState(config, { n: 1 }, 'ask');

    const agent = { 'gen_ai.agent.name': 'approver' };
    expect(series(await metrics.points(NODES))).toEqual(
      sorted([
        { attributes: { 'agent.node.name': 'ask', ...agent, 'error.type': 'GraphInterrupt' }, count: 1 },
        { attributes: { 'agent.node.name': 'ask', ...agent }, count: 1 },
      ]),
    );
    expect(series(await metrics.points(INVOCATIONS))).toEqual([{ attributes: agent, count: 2 }]);
  });

  it('a meter provider that throws does not break the graph run', async () => {
    const diagnostics = captureDiagWarnings();
    const warn = vi.spyOn(console, 'warn');
    try {
      const histogram = {
        record() {
          throw new Error('exporter exploded');
        },
      };
      const brokenProvider = {
        getMeter: () => ({ createHistogram: () => histogram }),
      } as unknown as MeterProvider;
      const graph = buildSupportGraph();

      const plain = await graph.invoke({ messages: [] });
      const result = await instrumentLangGraph(graph, {
        agentName: 'support-agent',
        meterProvider: brokenProvider,
      }).invoke({ messages: [] });

      expect(contentsOf(result.messages)).toEqual(contentsOf(plain.messages));
      // Reported by us, once per kind, and never through LangChain's handler-error warnings.
      expect(diagnostics.warnings.length).toBeGreaterThan(0);
      expect(new Set(diagnostics.warnings).size).toBe(diagnostics.warnings.length);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      diagnostics.stop();
    }
  });
});
