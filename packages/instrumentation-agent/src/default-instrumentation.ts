import { createAgentInstrumentation } from './agent-instrumentation.js';

// The module-level helpers record to the global meter provider, looked up at each record, so they
// work whenever the app's SDK starts, before or after the first import of this package.
const globalInstrumentation = createAgentInstrumentation();

export const invokeAgent = globalInstrumentation.invokeAgent;
export const runNode = globalInstrumentation.runNode;
export const executeTool = globalInstrumentation.executeTool;
export const instrumentTool = globalInstrumentation.instrumentTool;
