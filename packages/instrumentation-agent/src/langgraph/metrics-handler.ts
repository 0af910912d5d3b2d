import type { Attributes, MeterProvider } from '@opentelemetry/api';
import { currentAgentName } from '../agent-context.js';
import { invocationAttributes, nodeAttributes, toolAttributes, withOutcome } from '../attributes.js';
import { instrumentsOf } from '../instruments.js';
import type { Outcome } from '../measure-call.js';
import { reportFault } from '../report-fault.js';
import { OpenRuns } from './open-runs.js';
import { claimedByAnother, claimRun, releaseRun } from './run-claims.js';

export interface LangGraphMetricsOptions {
  /**
   * `gen_ai.agent.name` on every node and tool point. When given, the outermost run the handler
   * sees (the graph's own run) is also recorded as one invocation of this agent. Default: the
   * agent of the enclosing `invokeAgent`, which then records the invocation itself.
   */
  readonly agentName?: string;
  /** Where the metrics go. Default: the global meter provider, looked up at each record. */
  readonly meterProvider?: MeterProvider;
}

/**
 * A LangChain callback handler, as the plain methods object `callbacks` accepts (LangChain wraps it
 * in a `BaseCallbackHandler` itself), so this package needs no runtime dependency on LangChain.
 * The parameters are in the order LangChain calls them with, which for `handleChainStart` is not
 * the order its type declarations show (`@langchain/core` 1.x): runId, parentRunId, tags,
 * metadata, runType, runName, the order its own tracers and LangGraph's handlers rely on.
 */
export interface LangGraphCallbackHandler {
  /** Run inline, not in LangChain's background queue, so start and end times are the run's own. */
  readonly awaitHandlers: true;
  /** LLM calls are measured by the LLM instrumentations; skipping them costs nothing per token. */
  readonly ignoreLLM: true;
  readonly ignoreCustomEvent: true;
  handleChainStart(
    chain: unknown,
    inputs: unknown,
    runId: string,
    parentRunId?: string,
    tags?: string[],
    metadata?: Record<string, unknown>,
    runType?: string,
    runName?: string,
  ): void;
  handleChainEnd(outputs: unknown, runId: string): void;
  handleChainError(error: unknown, runId: string): void;
  handleToolStart(
    tool: unknown,
    input: unknown,
    runId: string,
    parentRunId?: string,
    tags?: string[],
    metadata?: Record<string, unknown>,
    runName?: string,
  ): void;
  handleToolEnd(output: unknown, runId: string): void;
  handleToolError(error: unknown, runId: string): void;
  handleRetrieverStart(retriever: unknown, query: unknown, runId: string, parentRunId?: string): void;
  handleRetrieverEnd(documents: unknown, runId: string): void;
  handleRetrieverError(error: unknown, runId: string): void;
}

type RunKind = 'invocation' | 'node' | 'tool' | 'other';

interface OpenRun {
  readonly kind: RunKind;
  readonly parentRunId: string | undefined;
  readonly outermost: boolean;
  readonly start: number;
  readonly attributes: Attributes;
}

/** Far above the runs one graph has open at once; only runs that never end are ever dropped. */
const OPEN_RUNS_LIMIT = 10_000;

/** LangGraph's tag for its own plumbing (the `__start__` node, functional-API helpers). */
const HIDDEN_TAG = 'langsmith:hidden';

/**
 * The node a chain run executes, when the run is a node execution itself: LangGraph runs each
 * task as a runnable named after its node, with `langgraph_node` in its metadata and the
 * `graph:step:N` tag of its step. Runnables inside a node inherit the metadata but not the tag
 * (LangGraph adds it as a non-inheritable tag), so a chain or subgraph named like its node is not
 * counted twice. A retried node is one execution per attempt.
 */
function executedNode(
  tags: readonly string[] | undefined,
  metadata: Record<string, unknown> | undefined,
  runName: string | undefined,
): string | undefined {
  const node = metadata?.['langgraph_node'];
  if (typeof node !== 'string' || node === '' || runName !== node || tags === undefined) return undefined;
  if (!tags.includes(`graph:step:${String(metadata?.['langgraph_step'])}`)) return undefined;
  return tags.includes(HIDDEN_TAG) ? undefined : node;
}

/**
 * A graph run (`invoke`, `stream`, `streamEvents` of a compiled graph or an entrypoint), as opposed
 * to the other chains a graph starts outside any run, such as `updateState`'s: LangGraph marks the
 * runs of its loop with this metadata before announcing them.
 */
function isGraphRun(metadata: Record<string, unknown> | undefined): boolean {
  return metadata?.['ls_integration'] === 'langgraph';
}

function toolNameOf(tool: unknown, runName: string | undefined): string {
  if (typeof runName === 'string' && runName !== '') return runName;
  const name = tool !== null && typeof tool === 'object' ? (tool as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name !== '' ? name : '_OTHER';
}

/**
 * A callback handler that records LangGraph node executions and tool calls (the node and tool duration histograms)
 * without any change to the graph's node functions. Pass it as
 * `graph.invoke(input, { callbacks: [handler] })` or once with `graph.withConfig({ callbacks: [handler] })`.
 * One handler may serve any number of concurrent runs.
 */
export function createLangGraphMetricsHandler(
  options: LangGraphMetricsOptions = {},
): LangGraphCallbackHandler {
  const { agentName: explicitAgentName, meterProvider } = options;
  const runs = new OpenRuns<OpenRun>(OPEN_RUNS_LIMIT);
  // Who this handler is in the shared claims: not the object LangChain receives, which it may copy.
  const self = {};

  function isOutermost(parentRunId: string | undefined): boolean {
    return parentRunId === undefined || !runs.has(parentRunId);
  }

  /** Under a run another handler answers for: that handler counts it, not this one. */
  function answeredElsewhere(parentRunId: string | undefined): boolean {
    let runId = parentRunId;
    for (let depth = 0; runId !== undefined && depth < OPEN_RUNS_LIMIT; depth++) {
      if (claimedByAnother(runId, self)) return true;
      runId = runs.get(runId)?.parentRunId;
    }
    return false;
  }

  function open(
    runId: string,
    parentRunId: string | undefined,
    kind: RunKind,
    attributes: Attributes = {},
  ): void {
    const outermost = isOutermost(parentRunId);
    // Every run is tracked, parents included, so that the outermost one is known by its parent
    // being unknown, and the runs under another handler's are known to be its.
    if (outermost) claimRun(runId, self);
    runs.add(runId, { kind, parentRunId, outermost, start: performance.now(), attributes });
  }

  function close(runId: string, outcome: Outcome): void {
    const run = runs.take(runId);
    if (run === undefined) return;
    if (run.outermost) releaseRun(runId, self);
    if (run.kind === 'other') return;
    const seconds = (performance.now() - run.start) / 1000;
    const instruments = instrumentsOf(meterProvider);
    const histogram =
      run.kind === 'invocation'
        ? instruments.invocationDuration
        : run.kind === 'node'
          ? instruments.nodeDuration
          : instruments.toolDuration;
    histogram.record(seconds, withOutcome(run.attributes, outcome));
  }

  /** Every handler body is ours alone: a fault is logged once and the graph never sees it. */
  function guarded(where: string, body: () => void): void {
    try {
      body();
    } catch (error) {
      reportFault(where, error);
    }
  }

  return {
    awaitHandlers: true,
    ignoreLLM: true,
    ignoreCustomEvent: true,

    handleChainStart(_chain, _inputs, runId, parentRunId, tags, metadata, _runType, runName) {
      guarded('handling a LangGraph chain start', () => {
        const node = executedNode(tags, metadata, runName);
        if (node !== undefined && !answeredElsewhere(parentRunId)) {
          open(runId, parentRunId, 'node', nodeAttributes(node, explicitAgentName ?? currentAgentName()));
        } else if (isOutermost(parentRunId) && explicitAgentName !== undefined && isGraphRun(metadata)) {
          open(runId, parentRunId, 'invocation', invocationAttributes(explicitAgentName));
        } else open(runId, parentRunId, 'other');
      });
    },
    handleChainEnd(_outputs, runId) {
      guarded('handling a LangGraph chain end', () => close(runId, { failed: false }));
    },
    handleChainError(error, runId) {
      guarded('handling a LangGraph chain error', () => close(runId, { failed: true, error }));
    },

    handleToolStart(tool, _input, runId, parentRunId, _tags, _metadata, runName) {
      guarded('handling a LangGraph tool start', () => {
        if (answeredElsewhere(parentRunId)) return open(runId, parentRunId, 'other');
        // LangChain tools run in the app: `function` in the conventions' terms.
        const agentName = explicitAgentName ?? currentAgentName();
        open(runId, parentRunId, 'tool', toolAttributes(toolNameOf(tool, runName), 'function', agentName));
      });
    },
    handleToolEnd(_output, runId) {
      guarded('handling a LangGraph tool end', () => close(runId, { failed: false }));
    },
    handleToolError(error, runId) {
      guarded('handling a LangGraph tool error', () => close(runId, { failed: true, error }));
    },

    // Retrievers are tracked only as parents: a chain they start is not an outermost run.
    handleRetrieverStart(_retriever, _query, runId, parentRunId) {
      guarded('handling a LangGraph retriever start', () => open(runId, parentRunId, 'other'));
    },
    handleRetrieverEnd(_documents, runId) {
      guarded('handling a LangGraph retriever end', () => close(runId, { failed: false }));
    },
    handleRetrieverError(error, runId) {
      guarded('handling a LangGraph retriever error', () => close(runId, { failed: true, error }));
    },
  };
}
