import type { ClientSettings } from '@va/instrumentation-genai';
import { isMeasuredModel, isModel, measuringView } from './measured-model.js';
import { reportFault } from './report-fault.js';

type AgentClass = new (...args: unknown[]) => unknown;

/**
 * The `ai` agent classes that take a `model` in their settings and call the entry functions from within
 * the module, where the patch of its exports does not reach (`Experimental_Agent` in ai 5; `ToolLoopAgent`,
 * also exported as `Experimental_Agent`, in ai 6 and 7).
 */
export const AGENT_CLASSES = ['ToolLoopAgent', 'Experimental_Agent'] as const;

/** Our stand-ins, so that a second patch of the same exports finds one and leaves it. */
const standIns = new WeakSet<object>();

export function isAgentStandIn(candidate: unknown): boolean {
  return typeof candidate === 'function' && standIns.has(candidate);
}

/**
 * The agent class as its users see it (`new`, `instanceof`, `extends`, its statics: all the class's own),
 * constructing each agent with a measuring view of its model, on a copy of the caller's settings.
 */
export function withMeasuredAgentModel(agentClass: AgentClass, settings: () => ClientSettings): AgentClass {
  const standIn = new Proxy(agentClass, {
    construct(target, args, newTarget) {
      const agentSettings = args[0] as { model?: unknown } | null | undefined;
      const model = agentSettings?.model;
      let constructArgs = args;
      if (isModel(model) && !isMeasuredModel(model)) {
        try {
          constructArgs = [{ ...agentSettings, model: measuringView(model, settings()) }, ...args.slice(1)];
        } catch (error) {
          reportFault('instrumenting an agent model', error);
        }
      }
      return Reflect.construct(target, constructArgs, newTarget) as object;
    },
  });
  standIns.add(standIn);
  return standIn;
}
