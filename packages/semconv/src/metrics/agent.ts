import {
  AGENT_NODE_NAME,
  ERROR_TYPE,
  GEN_AI_AGENT_NAME,
  GEN_AI_TOOL_NAME,
  GEN_AI_TOOL_TYPE,
} from '../attributes.js';
import { GEN_AI_DURATION_BUCKETS } from '../buckets.js';
import type { MetricDefinition } from '../types.js';

const RECORDED_BY_AGENT = '@va/instrumentation-agent';

/** https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-metrics/#metric-gen_aiinvoke_agentduration */
export const GEN_AI_INVOKE_AGENT_DURATION: MetricDefinition = {
  name: 'gen_ai.invoke_agent.duration',
  kind: 'histogram',
  unit: 's',
  description:
    'Duration of one agent invocation, from its start to its result or error. Its `_count` counts invocations; failed ones carry `error.type`.',
  buckets: GEN_AI_DURATION_BUCKETS,
  attributes: [GEN_AI_AGENT_NAME, ERROR_TYPE],
  recordedBy: RECORDED_BY_AGENT,
  stability: 'development',
};

/** Not in the conventions: one step of an agent graph (a LangGraph node, a pipeline stage). */
export const AGENT_NODE_DURATION: MetricDefinition = {
  name: 'agent.node.duration',
  kind: 'histogram',
  unit: 's',
  description:
    'Duration of one execution of an agent graph node. Its `_count` counts executions; failed ones carry `error.type`.',
  buckets: GEN_AI_DURATION_BUCKETS,
  attributes: [AGENT_NODE_NAME, GEN_AI_AGENT_NAME, ERROR_TYPE],
  recordedBy: RECORDED_BY_AGENT,
  stability: 'development',
};

/** https://opentelemetry.io/docs/specs/semconv/gen-ai/gen-ai-metrics/#metric-gen_aiexecute_toolduration */
export const GEN_AI_EXECUTE_TOOL_DURATION: MetricDefinition = {
  name: 'gen_ai.execute_tool.duration',
  kind: 'histogram',
  unit: 's',
  description:
    'Duration of one tool call. Its `_count` counts calls; failed ones carry `error.type`, so calls by status are `_count` by `error_type`.',
  buckets: GEN_AI_DURATION_BUCKETS,
  attributes: [GEN_AI_TOOL_NAME, GEN_AI_TOOL_TYPE, GEN_AI_AGENT_NAME, ERROR_TYPE],
  recordedBy: RECORDED_BY_AGENT,
  stability: 'development',
};

export const AGENT_METRICS: readonly MetricDefinition[] = [
  GEN_AI_INVOKE_AGENT_DURATION,
  AGENT_NODE_DURATION,
  GEN_AI_EXECUTE_TOOL_DURATION,
];
