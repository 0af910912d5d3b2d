import type { Attributes } from '@opentelemetry/api';
import {
  AGENT_NODE_NAME,
  ERROR_TYPE,
  GEN_AI_AGENT_NAME,
  GEN_AI_TOOL_NAME,
  GEN_AI_TOOL_TYPE,
} from '@va/semconv';
import { errorTypeOf } from './error-type.js';
import type { Outcome } from './measure-call.js';

/** The conventions' tool kinds: `function` runs in the app, `extension` and `datastore` elsewhere. */
export type ToolType = 'function' | 'extension' | 'datastore';

/** Names only, never arguments or results: nothing a call carries becomes an attribute. */
export function invocationAttributes(agentName: string | undefined): Attributes {
  return agentName === undefined ? {} : { [GEN_AI_AGENT_NAME.key]: agentName };
}

export function nodeAttributes(nodeName: string, agentName: string | undefined): Attributes {
  return { [AGENT_NODE_NAME.key]: nodeName, ...invocationAttributes(agentName) };
}

export function toolAttributes(
  toolName: string,
  toolType: ToolType,
  agentName: string | undefined,
): Attributes {
  return {
    [GEN_AI_TOOL_NAME.key]: toolName,
    [GEN_AI_TOOL_TYPE.key]: toolType,
    ...invocationAttributes(agentName),
  };
}

/** `error.type` is added for failures only, so successes are the series without it. */
export function withOutcome(attributes: Attributes, outcome: Outcome): Attributes {
  return outcome.failed ? { ...attributes, [ERROR_TYPE.key]: errorTypeOf(outcome.error) } : attributes;
}
