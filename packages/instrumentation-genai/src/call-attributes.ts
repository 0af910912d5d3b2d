import type { Attributes } from '@opentelemetry/api';
import { currentAgentName } from './agent-context.js';
import type { ClientSettings } from './client-settings.js';

/** What a client instrumentation knows of a call when it starts. */
export interface CallDescription {
  /** `gen_ai.operation.name`: `chat`, `embeddings` … */
  readonly operationName: string;
  /** The client's own `gen_ai.provider.name`; the `providerName` option wins over it. */
  readonly providerName: string;
  readonly requestModel: string | undefined;
  /** Where the client sends its calls (serverEndpointOf()), when known. */
  readonly serverAddress: string | undefined;
  readonly serverPort: number | undefined;
}

/**
 * The set every metric of a call carries: operation, provider (and `gen_ai.system` in `gen_ai/dup`
 * mode), request model (normalised when asked), server address and port, and the enclosing agent when
 * asked for.
 */
export function callAttributes(settings: ClientSettings, call: CallDescription): Attributes {
  const providerName = settings.providerName ?? call.providerName;
  const attributes: Attributes = {
    'gen_ai.operation.name': call.operationName,
    'gen_ai.provider.name': providerName,
  };
  if (settings.legacySystemAttribute) attributes['gen_ai.system'] = providerName;
  if (call.requestModel !== undefined) {
    attributes['gen_ai.request.model'] =
      settings.normalizeModel === undefined ? call.requestModel : settings.normalizeModel(call.requestModel);
  }
  if (call.serverAddress !== undefined) attributes['server.address'] = call.serverAddress;
  if (call.serverPort !== undefined) attributes['server.port'] = call.serverPort;
  if (settings.agentNameOnLLMMetrics) {
    const agentName = currentAgentName();
    if (agentName !== undefined) attributes['gen_ai.agent.name'] = agentName;
  }
  return attributes;
}
