import type { ClientSettings } from '@va/instrumentation-genai';
import {
  callAttributes,
  type GenAICall,
  instrumentedCall as measuredCall,
  observeAPIPromise,
  type ResultReader,
  type StartedCall,
  serverEndpointOf,
} from '@va/instrumentation-genai';
import { AnthropicCall } from './anthropic-call.js';
import { observeMessageStreamEvent, readParsedMessage } from './read-result.js';
import { RECORDER } from './recorder.js';

type Params = Record<string, unknown>;

const READER: ResultReader = { readParsed: readParsedMessage, observeStreamItem: observeMessageStreamEvent };

function startCall(settings: ClientSettings, resource: unknown, args: unknown[]): StartedCall {
  const params: Params = args[0] !== null && typeof args[0] === 'object' ? (args[0] as Params) : {};
  const requestModel = typeof params.model === 'string' ? params.model : undefined;
  const client = (resource as { _client?: { baseURL?: unknown } } | null)?._client;
  const server = serverEndpointOf(client?.baseURL);
  const attributes = callAttributes(settings, {
    operationName: 'chat',
    providerName: 'anthropic',
    requestModel,
    serverAddress: server?.serverAddress,
    serverPort: server?.serverPort,
  });
  const call = new AnthropicCall(RECORDER, settings, attributes, requestModel, params.stream === true);
  return { call, args };
}

function observe(result: unknown, call: GenAICall): boolean {
  return observeAPIPromise(result, call, READER);
}

/**
 * Calls a `messages.create` (or `beta.messages.create`) and measures it. The caller gets exactly what
 * the method returned or threw; if anything of ours fails, the call goes ahead unmeasured.
 */
export function instrumentedCall(
  settings: ClientSettings,
  resource: unknown,
  original: (...args: unknown[]) => unknown,
  args: unknown[],
): unknown {
  return measuredCall(RECORDER, () => startCall(settings, resource, args), original, resource, args, observe);
}
