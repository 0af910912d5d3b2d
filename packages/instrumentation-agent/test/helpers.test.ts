import type { MeterProvider } from '@opentelemetry/api';
import {
  AGENT_NODE_DURATION,
  GEN_AI_DURATION_BUCKETS,
  GEN_AI_EXECUTE_TOOL_DURATION,
  GEN_AI_INVOKE_AGENT_DURATION,
} from '@va/semconv';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type AgentInstrumentation, createAgentInstrumentation } from '../src/index.js';
import { captureDiagWarnings } from './support/diag.js';
import { TestMetrics } from './support/metrics.js';
import { series, sorted } from './support/series.js';

class ToolTimeoutError extends Error {}

const INVOCATIONS = GEN_AI_INVOKE_AGENT_DURATION.name;
const NODES = AGENT_NODE_DURATION.name;
const TOOLS = GEN_AI_EXECUTE_TOOL_DURATION.name;

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('the helpers', () => {
  let metrics: TestMetrics;
  let agent: AgentInstrumentation;

  beforeEach(() => {
    metrics = new TestMetrics();
    agent = createAgentInstrumentation({ meterProvider: metrics.meterProvider });
  });
  afterEach(async () => {
    await metrics.shutdown();
  });

  it('record one invocation, node execution and tool call each, with names only', async () => {
    const result = await agent.invokeAgent('support-agent', async () => {
      const plan = await agent.runNode('plan', async () => 'plan for order 42');
      const order = await agent.executeTool('lookup_order', async () => ({ id: 'secret-order-id' }));
      return `${plan} ${order.id}`;
    });

    expect(result).toBe('plan for order 42 secret-order-id');
    expect(series(await metrics.points(INVOCATIONS))).toEqual([
      { attributes: { 'gen_ai.agent.name': 'support-agent' }, count: 1 },
    ]);
    expect(series(await metrics.points(NODES))).toEqual([
      { attributes: { 'agent.node.name': 'plan', 'gen_ai.agent.name': 'support-agent' }, count: 1 },
    ]);
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
    const values = await metrics.allAttributeValues();
    expect(values.some((value) => value.includes('secret') || value.includes('42'))).toBe(false);
  });

  it('create the instruments from the conventions: unit, description and buckets', async () => {
    await agent.invokeAgent('a', async () => agent.runNode('n', () => agent.executeTool('t', () => 1)));
    const { resourceMetrics } = await metrics.reader.collect();
    const descriptors = resourceMetrics.scopeMetrics.flatMap((scope) =>
      scope.metrics.map((metric) => ({ scope: scope.scope.name, ...metric.descriptor })),
    );
    for (const definition of [
      GEN_AI_INVOKE_AGENT_DURATION,
      AGENT_NODE_DURATION,
      GEN_AI_EXECUTE_TOOL_DURATION,
    ]) {
      const descriptor = descriptors.find((candidate) => candidate.name === definition.name);
      expect(descriptor).toMatchObject({
        scope: '@va/instrumentation-agent',
        unit: 's',
        description: definition.description,
        advice: { explicitBucketBoundaries: [...GEN_AI_DURATION_BUCKETS] },
      });
    }
  });

  it('measure a duration in seconds, until an async function settles', async () => {
    await agent.executeTool('slow_tool', () => new Promise((resolve) => setTimeout(resolve, 60)));
    const [point] = await metrics.points(TOOLS);
    expect(point?.count).toBe(1);
    expect(point?.sum).toBeGreaterThanOrEqual(0.05);
    expect(point?.sum).toBeLessThan(5);
  });

  it('startToolCall records one duration when ended, once, and nothing when never ended', async () => {
    const call = agent.startToolCall('get_weather', { agentName: 'voice-agent' });
    agent.startToolCall('never_answered');
    await new Promise((resolve) => setTimeout(resolve, 30));
    call.end();
    call.end(new ToolTimeoutError('late'));
    const failed = agent.startToolCall('lookup_order');
    failed.end(new ToolTimeoutError('no answer'));
    expect(series(await metrics.points(TOOLS))).toEqual(
      sorted([
        {
          attributes: {
            'gen_ai.tool.name': 'get_weather',
            'gen_ai.tool.type': 'function',
            'gen_ai.agent.name': 'voice-agent',
          },
          count: 1,
        },
        {
          attributes: {
            'gen_ai.tool.name': 'lookup_order',
            'gen_ai.tool.type': 'function',
            'error.type': 'ToolTimeoutError',
          },
          count: 1,
        },
      ]),
    );
    const weather = (await metrics.points(TOOLS)).find(
      (point) => point.attributes['gen_ai.tool.name'] === 'get_weather',
    );
    expect(weather?.sum).toBeGreaterThanOrEqual(0.025);
    expect(weather?.sum).toBeLessThan(5);
  });

  it('rethrow an async failure untouched and label it with the error class', async () => {
    const error = new ToolTimeoutError('the order service did not answer');
    const stack = error.stack;

    const caught = await agent
      .executeTool('lookup_order', async () => {
        await tick();
        throw error;
      })
      .then(
        () => undefined,
        (thrown: unknown) => thrown,
      );

    expect(caught).toBe(error);
    expect(caught).toBeInstanceOf(ToolTimeoutError);
    expect((caught as Error).stack).toBe(stack);
    expect(series(await metrics.points(TOOLS))).toEqual([
      {
        attributes: {
          'gen_ai.tool.name': 'lookup_order',
          'gen_ai.tool.type': 'function',
          'error.type': 'ToolTimeoutError',
        },
        count: 1,
      },
    ]);
  });

  it('rethrow a synchronous failure synchronously, the same object with the same stack', async () => {
    const error = new TypeError('bad plan');
    const stack = error.stack;
    let caught: unknown;
    try {
      agent.runNode('plan', () => {
        throw error;
      });
    } catch (thrown) {
      caught = thrown;
    }
    expect(caught).toBe(error);
    expect((caught as Error).stack).toBe(stack);
    expect(series(await metrics.points(NODES))).toEqual([
      { attributes: { 'agent.node.name': 'plan', 'error.type': 'TypeError' }, count: 1 },
    ]);
  });

  it('label failures by HTTP status, class name, or _OTHER', async () => {
    const failures: unknown[] = [
      Object.assign(new Error('rate limited'), { status: 429 }),
      new RangeError('out of range'),
      'a string',
      undefined,
      { message: 'a plain object' },
    ];
    for (const failure of failures) {
      expect(() =>
        agent.invokeAgent('a', () => {
          throw failure;
        }),
      ).toThrow();
    }
    await expect(
      agent.invokeAgent('a', () => Promise.reject(Object.assign(new Error('down'), { status: 503 }))),
    ).rejects.toThrow('down');

    expect(series(await metrics.points(INVOCATIONS))).toEqual(
      sorted([
        { attributes: { 'gen_ai.agent.name': 'a', 'error.type': '429' }, count: 1 },
        { attributes: { 'gen_ai.agent.name': 'a', 'error.type': '503' }, count: 1 },
        { attributes: { 'gen_ai.agent.name': 'a', 'error.type': 'RangeError' }, count: 1 },
        { attributes: { 'gen_ai.agent.name': 'a', 'error.type': '_OTHER' }, count: 3 },
      ]),
    );
  });

  it('keep a synchronous function synchronous: the same value, recorded before returning', async () => {
    const value = { answer: 42 };
    const returned = agent.executeTool('sync_tool', () => value);
    expect(returned).toBe(value);
    expect(agent.runNode('count', () => 7)).toBe(7);
    expect(agent.invokeAgent('a', () => undefined)).toBeUndefined();

    expect(series(await metrics.points(TOOLS))).toEqual([
      { attributes: { 'gen_ai.tool.name': 'sync_tool', 'gen_ai.tool.type': 'function' }, count: 1 },
    ]);
    expect((await metrics.points(NODES))[0]?.count).toBe(1);
    expect((await metrics.points(INVOCATIONS))[0]?.count).toBe(1);
  });

  it("return a promise that settles like the function's, and record it only once it settles", async () => {
    let resolve: (value: string) => void = () => {};
    const promise = new Promise<string>((settle) => {
      resolve = settle;
    });
    const returned = agent.executeTool('pending_tool', () => promise);
    expect(returned).toBeInstanceOf(Promise);

    await tick();
    expect(await metrics.points(TOOLS)).toEqual([]);
    resolve('done');
    expect(await returned).toBe('done');
    expect((await metrics.points(TOOLS))[0]?.count).toBe(1);
  });

  it("keep the caller's async frames in the stack of an error thrown after an await", async () => {
    const failing = async () => {
      await tick();
      throw new TypeError('late failure');
    };
    async function callerFrame(run: (fn: () => Promise<never>) => Promise<never>) {
      try {
        await run(failing);
      } catch (error) {
        return (error as Error).stack ?? '';
      }
      return '';
    }
    expect(await callerFrame((fn) => fn())).toContain('callerFrame');
    expect(await callerFrame((fn) => agent.executeTool('late_tool', fn))).toContain('callerFrame');
  });

  it('return the very same promise subclass and thenable, calling their then no more than the caller does', async () => {
    class QueryPromise<T> extends Promise<T> {}
    const subclassed = QueryPromise.resolve('rows');
    expect(agent.executeTool('query', () => subclassed)).toBe(subclassed);
    expect(await subclassed).toBe('rows');

    // A lazy thenable, like a query builder: each `then` would run the query again.
    let executions = 0;
    const lazy = {
      // biome-ignore lint/suspicious/noThenProperty: a thenable that is not a promise is the case under test
      then(onFulfilled: (value: string) => unknown, onRejected: (error: unknown) => unknown) {
        executions++;
        return Promise.resolve('result').then(onFulfilled, onRejected);
      },
    };
    expect(agent.executeTool('query', () => lazy)).toBe(lazy);
    expect(executions).toBe(0);
    expect(await lazy).toBe('result');
    expect(executions).toBe(1);

    const failing = {
      // biome-ignore lint/suspicious/noThenProperty: a thenable that is not a promise is the case under test
      then(_onFulfilled: unknown, onRejected: (error: unknown) => unknown) {
        return Promise.reject(new ToolTimeoutError('slow')).then(undefined, onRejected);
      },
    };
    expect(agent.executeTool('query', () => failing)).toBe(failing);
    await expect(failing).rejects.toBeInstanceOf(ToolTimeoutError);

    expect(series(await metrics.points(TOOLS))).toEqual(
      sorted([
        { attributes: { 'gen_ai.tool.name': 'query', 'gen_ai.tool.type': 'function' }, count: 2 },
        {
          attributes: {
            'gen_ai.tool.name': 'query',
            'gen_ai.tool.type': 'function',
            'error.type': 'ToolTimeoutError',
          },
          count: 1,
        },
      ]),
    );
  });

  it('instrumentTool keeps this, arguments, result, name and arity; each call is measured', async () => {
    const store = {
      prefix: 'order',
      lookup(id: string, verbose: boolean): string {
        return `${this.prefix}:${id}:${verbose}`;
      },
    };
    const original = store.lookup;
    store.lookup = agent.instrumentTool('lookup_order', store.lookup, { type: 'datastore' });

    expect(store.lookup('1', true)).toBe('order:1:true');
    expect(store.lookup('2', false)).toBe('order:2:false');
    expect(store.lookup.name).toBe(original.name);
    expect(store.lookup.length).toBe(2);

    const failing = agent.instrumentTool('refund_order', async (_id: string) => {
      throw new ToolTimeoutError('slow');
    });
    await expect(failing('3')).rejects.toBeInstanceOf(ToolTimeoutError);

    expect(series(await metrics.points(TOOLS))).toEqual(
      sorted([
        { attributes: { 'gen_ai.tool.name': 'lookup_order', 'gen_ai.tool.type': 'datastore' }, count: 2 },
        {
          attributes: {
            'gen_ai.tool.name': 'refund_order',
            'gen_ai.tool.type': 'function',
            'error.type': 'ToolTimeoutError',
          },
          count: 1,
        },
      ]),
    );
  });
});

describe('a meter provider that fails', () => {
  let diagnostics: ReturnType<typeof captureDiagWarnings>;
  beforeEach(() => {
    diagnostics = captureDiagWarnings();
  });
  afterEach(() => {
    diagnostics.stop();
  });

  const brokenProvider = {
    getMeter() {
      throw new Error('meter provider down');
    },
  } as unknown as MeterProvider;

  const throwingInstruments = {
    getMeter() {
      const instrument = {
        record() {
          throw new Error('instrument down');
        },
        add() {
          throw new Error('instrument down');
        },
      };
      return { createHistogram: () => instrument, createCounter: () => instrument };
    },
  } as unknown as MeterProvider;

  it.each([
    ['getMeter throws', brokenProvider],
    ['every record throws', throwingInstruments],
  ])(
    '%s: never reaches the app, results and errors pass through, the fault is logged once',
    async (_, meterProvider) => {
      // A fresh copy of the package: each kind of fault is logged once per process, and the other case
      // may have logged it already.
      vi.resetModules();
      const { createAgentInstrumentation: create } = await import('../src/index.js');
      const agent = create({ meterProvider });
      const error = new ToolTimeoutError('slow');

      expect(agent.invokeAgent('a', () => agent.runNode('n', () => agent.executeTool('t', () => 5)))).toBe(5);
      expect(await agent.invokeAgent('a', async () => 'async result')).toBe('async result');
      await expect(
        agent.executeTool('t', async () => {
          throw error;
        }),
      ).rejects.toBe(error);
      expect(() =>
        agent.executeTool('t', () => {
          throw error;
        }),
      ).toThrow(error);

      expect(diagnostics.warnings).toHaveLength(1);
      expect(diagnostics.warnings[0]).toContain('@va/instrumentation-agent: recording a duration failed');
    },
  );
});
