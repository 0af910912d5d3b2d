import type { Histogram } from '@opentelemetry/api';
import type { GenAIInstruments } from './genai-instruments.js';
import { operationFamilyOf } from './inference-instruments.js';

/** A call's timings: its duration, and for streams the time to the first chunk and between chunks. */
export type CallTiming = 'duration' | 'timeToFirstChunk' | 'timePerOutputChunk';

const cache = new WeakMap<GenAIInstruments, Map<string, readonly Histogram[]>>();

function resolve(instruments: GenAIInstruments, timing: CallTiming, operationName: unknown): Histogram[] {
  const { latest, conventions } = instruments;
  const family = latest === undefined ? undefined : operationFamilyOf(operationName);
  const histograms: Histogram[] = [];
  if (latest !== undefined && family === 'inference') histograms.push(latest[timing]);
  else if (latest !== undefined && family === 'embeddings' && timing === 'duration')
    histograms.push(latest.embeddingsDuration);
  // Operations the 2026 conventions give no metrics of their own (audio) stay on today's names in every mode.
  if (conventions.current || family === 'other') histograms.push(instruments[timing]);
  return histograms;
}

/**
 * The histograms a timing of an operation is recorded on, by the conventions the process emits: the
 * operation histograms of @va/semconv's GEN_AI_METRICS, the 2026 ones of GEN_AI_LATEST_METRICS,
 * or both. Resolved once per instruments, timing and operation.
 */
export function histogramsFor(
  instruments: GenAIInstruments,
  timing: CallTiming,
  operationName: unknown,
): readonly Histogram[] {
  let byKey = cache.get(instruments);
  if (byKey === undefined) {
    byKey = new Map();
    cache.set(instruments, byKey);
  }
  const key = `${timing} ${String(operationName)}`;
  let histograms = byKey.get(key);
  if (histograms === undefined) {
    histograms = resolve(instruments, timing, operationName);
    // Bounded: operation names come from our instrumentations, but a runaway set must not grow this.
    if (byKey.size < 100) byKey.set(key, histograms);
  }
  return histograms;
}
