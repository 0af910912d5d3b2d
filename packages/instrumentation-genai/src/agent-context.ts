/**
 * The agent an LLM call runs inside, read from @va/instrumentation-agent's AsyncLocalStorage. The
 * store lives on the global object under this symbol (its documented contract), so we need no
 * dependency on that package, and copies of either package share it.
 */
const AGENT_CONTEXT_KEY = Symbol.for('@va/instrumentation-agent.context');

interface AgentContextStore {
  getStore(): { agentName?: unknown } | undefined;
}

export function currentAgentName(): string | undefined {
  const store = (globalThis as { [AGENT_CONTEXT_KEY]?: AgentContextStore })[AGENT_CONTEXT_KEY];
  const agentName = store?.getStore()?.agentName;
  return typeof agentName === 'string' && agentName !== '' ? agentName : undefined;
}
