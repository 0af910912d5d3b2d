import type { Attributes } from '@opentelemetry/api';
import { currentAgentName } from './agent-context.js';
import { GenAICall } from './call.js';
import { observeAPIPromise } from './observe-api-promise.js';
import type { OperationSpec } from './operations.js';
import type { Settings } from './options.js';
import { promptTextOf } from './prompt-text.js';
import { endpointOfClient } from './provider.js';
import { reportFault } from './report-fault.js';

/**
 * How many instrumented calls are on the stack right now. Shared through the global object so the
 * explicit proxy and the register's patch, even from two copies of this package (CommonJS and ESM),
 * never record the same call twice: the outermost wrapper records, inner ones pass through.
 */
const DEPTH_KEY = Symbol.for('@va/instrumentation-openai.call-depth');
const globalSlot = globalThis as { [DEPTH_KEY]?: { depth: number } };
globalSlot[DEPTH_KEY] ??= { depth: 0 };
const nesting = globalSlot[DEPTH_KEY];

type Params = Record<string, unknown>;

interface StartedCall {
  readonly call: GenAICall;
  readonly args: unknown[];
}

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
  const providerName = settings.providerName ?? endpoint.providerName;

  const attributes: Attributes = {
    'gen_ai.operation.name': operation.name,
    'gen_ai.provider.name': providerName,
  };
  if (settings.legacySystemAttribute) attributes['gen_ai.system'] = providerName;
  if (requestModel !== undefined) {
    attributes['gen_ai.request.model'] =
      settings.normalizeModel === undefined ? requestModel : settings.normalizeModel(requestModel);
  }
  if (endpoint.serverAddress !== undefined) attributes['server.address'] = endpoint.serverAddress;
  if (endpoint.serverPort !== undefined) attributes['server.port'] = endpoint.serverPort;
  if (settings.agentNameOnLLMMetrics) {
    const agentName = currentAgentName();
    if (agentName !== undefined) attributes['gen_ai.agent.name'] = agentName;
  }

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
  const call = new GenAICall(
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
  if (nesting.depth > 0) return Reflect.apply(original, resource, args);
  let started: StartedCall | undefined;
  try {
    started = startCall(settings, operation, resource, args);
  } catch (error) {
    reportFault('starting a call', error);
  }
  if (started === undefined) return Reflect.apply(original, resource, args);

  const { call } = started;
  let result: unknown;
  nesting.depth++;
  try {
    result = Reflect.apply(original, resource, started.args);
  } catch (error) {
    call.fail(error);
    throw error;
  } finally {
    nesting.depth--;
  }
  try {
    if (!observeAPIPromise(result, call))
      reportFault('observing a call', new Error('the method did not return an APIPromise'));
  } catch (error) {
    reportFault('observing a call', error);
  }
  return result;
}
