import {
  clientSettingsOf,
  createStainlessClientProxy,
  isInstrumentedClient,
} from '@va/instrumentation-genai';
import { instrumentedCall } from './instrumented-call.js';
import type { AnthropicInstrumentationOptions } from './options.js';
import { reportFault } from './report-fault.js';

type AnyFunction = (...args: unknown[]) => unknown;

/** The resources whose `create` is an LLM call; `messages.batches`, `countTokens` and the rest are not. */
const MEASURED_RESOURCES: ReadonlySet<string> = new Set(['messages', 'beta.messages']);

/**
 * Returns an instrumented view of an `@anthropic-ai/sdk` client (`Anthropic`, 0.39 and later, 1.x). It is
 * the same client to its caller: `instanceof` holds, every method returns what it returned and throws
 * what it threw. `messages.create` and `beta.messages.create` made through it are measured, streamed or
 * not, and so are the helpers that end in them (`messages.stream()`, `messages.parse()`, the beta
 * stream and tool runner), each once. The original object is untouched; a client already instrumented is
 * returned as is.
 */
export function instrumentAnthropic<T extends object>(
  client: T,
  options?: AnthropicInstrumentationOptions,
): T {
  if (client === null || typeof client !== 'object' || isInstrumentedClient(client)) return client;
  try {
    const settings = clientSettingsOf(options);
    return createStainlessClientProxy(client, (resourcePath, key, original, target) => {
      if (key !== 'create' || !MEASURED_RESOURCES.has(resourcePath)) return undefined;
      return function create(this: unknown, ...args: unknown[]) {
        return instrumentedCall(settings, target, original as AnyFunction, args);
      };
    });
  } catch (error) {
    reportFault('instrumenting a client', error);
    return client;
  }
}
