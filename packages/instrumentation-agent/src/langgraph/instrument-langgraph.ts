import { runInAgentContext } from '../agent-context.js';
import { reportFault } from '../report-fault.js';
import {
  createLangGraphMetricsHandler,
  type LangGraphCallbackHandler,
  type LangGraphMetricsOptions,
} from './metrics-handler.js';

export interface InstrumentLangGraphOptions extends LangGraphMetricsOptions {
  /** The agent the graph is: `gen_ai.agent.name`, and the agent context of every node. */
  readonly agentName: string;
}

/** What we need of a compiled LangGraph graph (`StateGraph.compile()`, `entrypoint()`). */
export interface ConfigurableGraph {
  withConfig(config: { callbacks: LangGraphCallbackHandler[] }): unknown;
}

type AnyMethod = (...args: unknown[]) => unknown;

function methodOf(target: object, key: string): AnyMethod | undefined {
  const method = (target as Record<string, unknown>)[key];
  return typeof method === 'function' ? (method as AnyMethod) : undefined;
}

/** Replaces a method on this one object only; the graph's class is left alone. */
function defineOwn(target: object, key: string, value: AnyMethod): void {
  Object.defineProperty(target, key, { configurable: true, writable: true, enumerable: false, value });
}

/**
 * Runs every run of `graph` inside the agent context. `invoke`, `streamEvents` and `batch` all go
 * through `stream`, which starts the graph's loop before it returns, so the loop and every node
 * inherit the context. Graphs derived with `withConfig` keep it.
 */
function runInContext(graph: object, agentName: string): void {
  const stream = methodOf(graph, 'stream');
  const withConfig = methodOf(graph, 'withConfig');
  if (stream !== undefined) {
    defineOwn(graph, 'stream', function (this: unknown, ...args: unknown[]) {
      return runInAgentContext({ agentName }, () => Reflect.apply(stream, this, args));
    });
  }
  if (withConfig !== undefined) {
    defineOwn(graph, 'withConfig', function (this: unknown, ...args: unknown[]) {
      const derived = Reflect.apply(withConfig, this, args);
      try {
        if (derived !== null && typeof derived === 'object') runInContext(derived, agentName);
      } catch (error) {
        reportFault('setting the agent context of a derived graph', error);
      }
      return derived;
    });
  }
}

/**
 * A copy of a compiled LangGraph graph, through `withConfig`, that records its runs as invocations
 * of the agent `agentName`, its node executions and its tool calls, and runs its nodes inside that
 * agent's context (for the LLM instrumentations and the helpers of this package). The graph passed
 * in is not modified, and neither are its nodes.
 */
export function instrumentLangGraph<G extends ConfigurableGraph>(
  graph: G,
  options: InstrumentLangGraphOptions,
): G {
  let instrumented: G;
  try {
    instrumented = graph.withConfig({ callbacks: [createLangGraphMetricsHandler(options)] }) as G;
  } catch (error) {
    reportFault('instrumenting a LangGraph graph', error);
    return graph;
  }
  try {
    runInContext(instrumented, options.agentName);
  } catch (error) {
    reportFault('setting the agent context of a graph', error);
  }
  return instrumented;
}
