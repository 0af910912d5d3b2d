import { AGENT_METRICS } from './metrics/agent.js';
import { DB_METRICS } from './metrics/db.js';
import { GEN_AI_METRICS } from './metrics/gen-ai.js';
import { HTTP_METRICS } from './metrics/http.js';
import { RUNTIME_METRICS } from './metrics/runtime.js';
import { VOICE_METRICS } from './metrics/voice.js';
import type { MetricDefinition } from './types.js';

export interface MetricGroup {
  readonly title: string;
  readonly metrics: readonly MetricDefinition[];
}

/** Every metric @va emits, grouped the way the docs present them. */
export const METRIC_GROUPS: readonly MetricGroup[] = [
  { title: 'HTTP', metrics: HTTP_METRICS },
  { title: 'Database', metrics: DB_METRICS },
  { title: 'GenAI client (LLM calls)', metrics: GEN_AI_METRICS },
  { title: 'Agents, graph nodes and tools', metrics: AGENT_METRICS },
  { title: 'Voice turns and sessions', metrics: VOICE_METRICS },
  { title: 'Node.js runtime', metrics: RUNTIME_METRICS },
];

export const ALL_METRICS: readonly MetricDefinition[] = METRIC_GROUPS.flatMap((group) => group.metrics);

const byName = new Map<string, MetricDefinition>();
for (const metric of ALL_METRICS) {
  if (byName.has(metric.name)) throw new Error(`metric ${metric.name} is defined twice`);
  if ((metric.kind === 'histogram') !== (metric.buckets !== undefined)) {
    throw new Error(`metric ${metric.name}: buckets belong to histograms, and every histogram needs them`);
  }
  if ((metric.exportName === undefined) !== (metric.exportReason === undefined)) {
    throw new Error(`metric ${metric.name}: a renamed export must say why`);
  }
  byName.set(metric.name, metric);
}

/** The definition of an OpenTelemetry instrument name, if @va knows it. */
export function findMetric(name: string): MetricDefinition | undefined {
  return byName.get(name);
}
