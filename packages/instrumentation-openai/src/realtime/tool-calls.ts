import {
  type AgentInstrumentation,
  createAgentInstrumentation,
  type ToolCall,
} from '@va/instrumentation-agent';
import type { Settings } from '../options.js';

const agents = new WeakMap<Settings, AgentInstrumentation>();

/** Starts timing a Realtime function call as a tool call (GEN_AI_EXECUTE_TOOL_DURATION), for these settings' meter provider. */
export function startToolCall(settings: Settings, toolName: string, agentName: string | undefined): ToolCall {
  let agent = agents.get(settings);
  if (agent === undefined) {
    agent = createAgentInstrumentation({ meterProvider: settings.meterProvider });
    agents.set(settings, agent);
  }
  return agent.startToolCall(toolName, { agentName });
}
