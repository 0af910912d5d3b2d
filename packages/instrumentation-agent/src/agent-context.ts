import { AsyncLocalStorage } from 'node:async_hooks';
import { reportFault } from './report-fault.js';

/**
 * What the enclosing agent work is, for code that runs inside it: the helpers of this package,
 * and other packages (`@va/instrumentation-openai` reads `agentName` for its LLM metrics).
 */
export interface AgentContext {
  /** The innermost agent invocation (`invokeAgent`), or the agent named by the enclosing node or tool. */
  readonly agentName?: string;
  /** The enclosing graph node (`runNode`), when inside one of this agent. */
  readonly nodeName?: string;
}

/**
 * The global contract. `globalThis[Symbol.for('@va/instrumentation-agent.context')]` holds one
 * `AsyncLocalStorage<AgentContext>`, created by the first copy of this package that needs it and
 * reused by every other copy (CommonJS and ESM builds, several installed versions), so they all
 * see the same context. A reader needs no dependency on this package: call `getStore()` and treat
 * an `agentName` or `nodeName` that is not a non-empty string as absent. Never replace the value.
 */
export const AGENT_CONTEXT_KEY: unique symbol = Symbol.for('@va/instrumentation-agent.context');

type ContextStorage = Pick<AsyncLocalStorage<AgentContext>, 'getStore' | 'run'>;
type ContextHolder = { [AGENT_CONTEXT_KEY]?: unknown };

function isContextStorage(value: unknown): value is ContextStorage {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as Partial<ContextStorage>).getStore === 'function' &&
    typeof (value as Partial<ContextStorage>).run === 'function'
  );
}

/** Used only when the global key holds something that is not a store: ours then works, unshared. */
let privateStorage: ContextStorage | undefined;

function sharedStorage(): ContextStorage | undefined {
  const value = (globalThis as ContextHolder)[AGENT_CONTEXT_KEY];
  return isContextStorage(value) ? value : privateStorage;
}

function createdStorage(): ContextStorage {
  const existing = sharedStorage();
  if (existing !== undefined) return existing;
  const storage = new AsyncLocalStorage<AgentContext>();
  if ((globalThis as ContextHolder)[AGENT_CONTEXT_KEY] === undefined) {
    // Not enumerable, and never replaced: every copy must keep finding this one store.
    Object.defineProperty(globalThis, AGENT_CONTEXT_KEY, { value: storage, enumerable: false });
  } else {
    reportFault('sharing the agent context (the global key holds something else)', undefined);
    privateStorage = storage;
  }
  return storage;
}

function validName(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The agent context of the code running now; empty outside any agent work. */
export function currentAgentContext(): AgentContext {
  const store = sharedStorage()?.getStore();
  if (store === null || typeof store !== 'object') return {};
  return { agentName: validName(store.agentName), nodeName: validName(store.nodeName) };
}

/** The agent the code running now belongs to, if any. */
export function currentAgentName(): string | undefined {
  return currentAgentContext().agentName;
}

/** Runs `fn` with `context` as the agent context of everything it does, synchronously or later. */
export function runInAgentContext<R>(context: AgentContext, fn: () => R): R {
  let storage: ContextStorage;
  try {
    storage = createdStorage();
  } catch (error) {
    reportFault('creating the agent context', error);
    return fn();
  }
  return storage.run(context, fn);
}
