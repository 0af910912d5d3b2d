export {
  AGENT_CONTEXT_KEY,
  type AgentContext,
  currentAgentContext,
  currentAgentName,
} from './agent-context.js';
export {
  type AgentInstrumentation,
  type AgentInstrumentationOptions,
  createAgentInstrumentation,
  type ExecuteToolOptions,
  type RunNodeOptions,
  type ToolCall,
} from './agent-instrumentation.js';
export type { ToolType } from './attributes.js';
export { executeTool, instrumentTool, invokeAgent, runNode } from './default-instrumentation.js';
export { errorTypeOf } from './error-type.js';
export {
  type ConfigurableGraph,
  type InstrumentLangGraphOptions,
  instrumentLangGraph,
} from './langgraph/instrument-langgraph.js';
export {
  createLangGraphMetricsHandler,
  type LangGraphCallbackHandler,
  type LangGraphMetricsOptions,
} from './langgraph/metrics-handler.js';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';
