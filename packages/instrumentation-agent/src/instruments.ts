import type { Histogram, MeterProvider } from '@opentelemetry/api';
import {
  AGENT_NODE_DURATION,
  createHistogramFor,
  GEN_AI_EXECUTE_TOOL_DURATION,
  GEN_AI_INVOKE_AGENT_DURATION,
  type MetricDefinition,
  vaMeterProvider,
} from '@va/semconv';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';

export interface AgentInstruments {
  readonly invocationDuration: Histogram;
  readonly nodeDuration: Histogram;
  readonly toolDuration: Histogram;
}

const byProvider = new WeakMap<MeterProvider, AgentInstruments>();

function histogram(meterProvider: MeterProvider, definition: MetricDefinition): Histogram {
  return createHistogramFor(meterProvider.getMeter(PACKAGE_NAME, PACKAGE_VERSION), definition);
}

/**
 * The instruments of a meter provider: the one given in the options, else `vaMeterProvider()` as it is
 * now. Looked up per record, so an app may start its SDK after creating its helpers.
 */
export function instrumentsOf(meterProvider: MeterProvider = vaMeterProvider()): AgentInstruments {
  let instruments = byProvider.get(meterProvider);
  if (instruments === undefined) {
    instruments = {
      invocationDuration: histogram(meterProvider, GEN_AI_INVOKE_AGENT_DURATION),
      nodeDuration: histogram(meterProvider, AGENT_NODE_DURATION),
      toolDuration: histogram(meterProvider, GEN_AI_EXECUTE_TOOL_DURATION),
    };
    byProvider.set(meterProvider, instruments);
  }
  return instruments;
}
