import {
  callAttributes,
  type GenAICall,
  instrumentedCall as measuredCall,
  observeAPIPromise,
  type ResultReader,
  type StartedCall,
} from '@va/instrumentation-genai';
import { OpenAICall } from './openai-call.js';
import type { OperationSpec } from './operations.js';
import type { Settings } from './options.js';
import { promptTextOf } from './prompt-text.js';
import { endpointOfClient } from './provider.js';
import { observeStreamItem, readParsedResult } from './read-result.js';
import { RECORDER } from './recorder.js';

type Params = Record<string, unknown>;

const READER: ResultReader = {
  readParsed: (call, result) => readParsedResult(call as OpenAICall, result),
  observeStreamItem: (call, item) => observeStreamItem(call as OpenAICall, item),
};

function startCall(
  settings: Settings,
  operation: OperationSpec,
  resource: unknown,
  args: unknown[],
): StartedCall {
  const params: Params = args[0] !== null && typeof args[0] === 'object' ? (args[0] as Params) : {};
  const requestModel = typeof params.model === 'string' ? params.model : undefined;
  const streamed = params.stream === true;
  const client = (resource as { _client?: unknown } | null)?._client;
  const endpoint = endpointOfClient(client);
  const attributes = callAttributes(settings, {
    operationName: operation.name,
    providerName: endpoint.providerName,
    requestModel,
    serverAddress: endpoint.serverAddress,
    serverPort: endpoint.serverPort,
  });

  // Ask for usage on a copy of the caller's parameters; their object is never changed.
  const streamOptions = params.stream_options;
  const injectStreamUsage =
    streamed &&
    operation.shape === 'completion' &&
    settings.requestStreamUsage &&
    (streamOptions === undefined ||
      streamOptions === null ||
      (typeof streamOptions === 'object' && (streamOptions as Params).include_usage === undefined));
  let callArgs = args;
  if (injectStreamUsage) {
    callArgs = [...args];
    callArgs[0] = {
      ...params,
      stream_options: { ...((streamOptions as Params | null | undefined) ?? {}), include_usage: true },
    };
  }

  const promptText = settings.countTokens !== undefined && streamed ? promptTextOf(params) : undefined;
  const call = new OpenAICall(
    RECORDER,
    settings,
    operation,
    attributes,
    requestModel,
    streamed,
    injectStreamUsage,
    promptText,
  );
  return { call, args: callArgs };
}

function observe(result: unknown, call: GenAICall): boolean {
  return observeAPIPromise(result, call, READER);
}

/**
 * Calls an `openai` method and measures it. The caller gets exactly what the method returned or
 * threw; if anything of ours fails, the call goes ahead unmeasured.
 */
export function instrumentedCall(
  settings: Settings,
  operation: OperationSpec,
  resource: unknown,
  original: (...args: unknown[]) => unknown,
  args: unknown[],
): unknown {
  return measuredCall(
    RECORDER,
    () => startCall(settings, operation, resource, args),
    original,
    resource,
    args,
    observe,
  );
}
