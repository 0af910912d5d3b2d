import { AGENT_METRICS } from './metrics/agent.js';
import { DB_METRICS } from './metrics/db.js';
import { GEN_AI_METRICS } from './metrics/gen-ai.js';
import { GEN_AI_LATEST_METRICS } from './metrics/gen-ai-inference.js';
import { HTTP_METRICS } from './metrics/http.js';
import { RUNTIME_METRICS } from './metrics/runtime.js';
import { VOICE_METRICS } from './metrics/voice.js';
import type { MetricDefinition } from './types.js';

export interface MetricGroup {
  readonly title: string;
  readonly metrics: readonly MetricDefinition[];
  /**
   * The `OTEL_SEMCONV_STABILITY_OPT_IN` value a group is emitted under, for metrics of conventions an
   * app opts in to; absent for the metrics of the default mode.
   */
  readonly optIn?: string;
  /** For an opt-in group: what it replaces, and how to ask for it. */
  readonly note?: string;
}

/** Every metric @va emits, grouped the way the docs present them. */
export const METRIC_GROUPS: readonly MetricGroup[] = [
  { title: 'HTTP', metrics: HTTP_METRICS },
  { title: 'Database', metrics: DB_METRICS },
  { title: 'GenAI client (LLM calls)', metrics: GEN_AI_METRICS },
  { title: 'Agents, graph nodes and tools', metrics: AGENT_METRICS },
  { title: 'Voice turns and sessions', metrics: VOICE_METRICS },
  { title: 'Node.js runtime', metrics: RUNTIME_METRICS },
  {
    title: 'GenAI client under the 2026 conventions (opt-in)',
    metrics: GEN_AI_LATEST_METRICS,
    optIn: 'gen_ai_latest_experimental',
    note: 'The client metrics of [semantic-conventions-genai v0.1.0](https://github.com/open-telemetry/semantic-conventions-genai), emitted only when `OTEL_SEMCONV_STABILITY_OPT_IN` lists `gen_ai_latest_experimental` (then instead of `gen_ai.client.operation.*` and `gen_ai.client.token.usage` for inference and embeddings calls) or `gen_ai/dup` (beside them, for a migration; ours, modelled on `http/dup`, also read as `gen_ai_latest_experimental/dup`). Audio operations stay on `gen_ai.client.operation.duration` in every mode; the cost and the cache-read, cache-write and reasoning counters are recorded once in every mode, with `gen_ai.token.modality` (`unknown` where the provider gives no split) under the 2026 names.',
  },
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
