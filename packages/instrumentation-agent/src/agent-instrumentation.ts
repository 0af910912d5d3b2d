import type { Attributes, Histogram, MeterProvider } from '@opentelemetry/api';
import { currentAgentContext, runInAgentContext } from './agent-context.js';
import {
  invocationAttributes,
  nodeAttributes,
  type ToolType,
  toolAttributes,
  withOutcome,
} from './attributes.js';
import { type AgentInstruments, instrumentsOf } from './instruments.js';
import { type CallEnd, measureCall } from './measure-call.js';
import { reportFault } from './report-fault.js';

export interface AgentInstrumentationOptions {
  /** Where the metrics go. Default: the global meter provider, looked up at each record. */
  readonly meterProvider?: MeterProvider;
}

export interface RunNodeOptions {
  /** `gen_ai.agent.name`. Default: the enclosing `invokeAgent`. */
  readonly agentName?: string;
}

export interface ExecuteToolOptions {
  /** `gen_ai.tool.type`. Default: `function`, a tool that runs in the app, as the wrapped function does. */
  readonly type?: ToolType;
  /** `gen_ai.agent.name`. Default: the enclosing `invokeAgent`. */
  readonly agentName?: string;
}

export interface AgentInstrumentation {
  /**
   * Runs `fn` as one invocation of the agent `agentName` (the agent invocation duration histogram). Nodes,
   * tools and LLM calls inside it, however deep, belong to this agent unless told otherwise.
   */
  invokeAgent<R>(agentName: string, fn: () => R): R;
  /** Runs `fn` as one execution of the graph node `nodeName`. Recorded on the node duration histogram. */
  runNode<R>(nodeName: string, fn: () => R, options?: RunNodeOptions): R;
  /** Runs `fn` as one call of the tool `toolName`. Recorded on the tool duration histogram. */
  executeTool<R>(toolName: string, fn: () => R, options?: ExecuteToolOptions): R;
  /**
   * Starts timing one call of the tool `toolName` whose start and end are events rather than a function
   * (a Realtime model's function call, answered later by the app's output). Nothing is recorded until
   * `end()`; a call never ended records nothing.
   */
  startToolCall(toolName: string, options?: ExecuteToolOptions): ToolCall;
  /** `fn`, measured as the tool `toolName` on every call; `this`, arguments and result pass through. */
  instrumentTool<F extends (...args: never[]) => unknown>(
    toolName: string,
    fn: F,
    options?: ExecuteToolOptions,
  ): F;
}

/** A tool call started with `startToolCall`. */
export interface ToolCall {
  /** Records the call's duration, once; with `error`, as failed (`error.type`). Later calls do nothing. */
  end(error?: unknown): void;
}

const ENDED_TOOL_CALL: ToolCall = { end() {} };

type PickHistogram = (instruments: AgentInstruments) => Histogram;

/** The helpers, recording to one meter provider (else the global one at each record). */
export function createAgentInstrumentation(options: AgentInstrumentationOptions = {}): AgentInstrumentation {
  const { meterProvider } = options;

  const recorder =
    (pick: PickHistogram, attributes: Attributes): CallEnd =>
    (seconds, outcome) => {
      pick(instrumentsOf(meterProvider)).record(seconds, withOutcome(attributes, outcome));
    };

  /**
   * Our own preparation must not stop the app's call: if it fails, `fn` runs unmeasured, once.
   * Only our code is inside the try; `fn` is called outside it, so its errors are never ours.
   */
  function prepared<P>(where: string, prepare: () => P): P | undefined {
    try {
      return prepare();
    } catch (error) {
      reportFault(where, error);
      return undefined;
    }
  }

  function invokeAgent<R>(agentName: string, fn: () => R): R {
    const onEnd = prepared('starting an agent invocation', () =>
      recorder((instruments) => instruments.invocationDuration, invocationAttributes(agentName)),
    );
    if (onEnd === undefined) return fn();
    // A new agent starts with no node of its own: the enclosing agent's node is not one of its nodes.
    return runInAgentContext({ agentName }, () => measureCall(fn, onEnd));
  }

  function runNode<R>(nodeName: string, fn: () => R, nodeOptions?: RunNodeOptions): R {
    const start = prepared('starting a node execution', () => {
      const agentName = nodeOptions?.agentName ?? currentAgentContext().agentName;
      return {
        agentName,
        onEnd: recorder((instruments) => instruments.nodeDuration, nodeAttributes(nodeName, agentName)),
      };
    });
    if (start === undefined) return fn();
    return runInAgentContext({ agentName: start.agentName, nodeName }, () => measureCall(fn, start.onEnd));
  }

  function executeTool<R>(toolName: string, fn: () => R, toolOptions?: ExecuteToolOptions): R {
    const start = prepared('starting a tool call', () => {
      const context = currentAgentContext();
      const agentName = toolOptions?.agentName ?? context.agentName;
      const attributes = toolAttributes(toolName, toolOptions?.type ?? 'function', agentName);
      return {
        context: { ...context, agentName },
        onEnd: recorder((instruments) => instruments.toolDuration, attributes),
      };
    });
    if (start === undefined) return fn();
    return runInAgentContext(start.context, () => measureCall(fn, start.onEnd));
  }

  function startToolCall(toolName: string, toolOptions?: ExecuteToolOptions): ToolCall {
    const start = performance.now();
    const onEnd = prepared('starting a tool call', () => {
      const agentName = toolOptions?.agentName ?? currentAgentContext().agentName;
      const attributes = toolAttributes(toolName, toolOptions?.type ?? 'function', agentName);
      return recorder((instruments) => instruments.toolDuration, attributes);
    });
    if (onEnd === undefined) return ENDED_TOOL_CALL;
    let ended = false;
    return {
      end(error?: unknown) {
        if (ended) return;
        ended = true;
        try {
          onEnd(
            (performance.now() - start) / 1000,
            error === undefined ? { failed: false } : { failed: true, error },
          );
        } catch (fault) {
          reportFault('recording a tool call', fault);
        }
      },
    };
  }

  function instrumentTool<F extends (...args: never[]) => unknown>(
    toolName: string,
    fn: F,
    toolOptions?: ExecuteToolOptions,
  ): F {
    const instrumented = function (this: unknown, ...args: unknown[]): unknown {
      return executeTool(toolName, () => Reflect.apply(fn, this, args), toolOptions);
    };
    try {
      // Frameworks that read a tool's arity or name see the original's.
      Object.defineProperty(instrumented, 'name', { value: fn.name, configurable: true });
      Object.defineProperty(instrumented, 'length', { value: fn.length, configurable: true });
    } catch (error) {
      reportFault('copying a tool function name', error);
    }
    return instrumented as unknown as F;
  }

  return { invokeAgent, runNode, executeTool, startToolCall, instrumentTool };
}
