import type { RecordedRealtimeSession } from '@va/openai-compatible-server';
import { expect } from 'vitest';
import { type Sample, samplesOf } from './exposition.js';

/** The sum of a metric's samples whose labels include `labels`. */
export function total(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number {
  return samplesOf(samples, name)
    .filter((sample) => Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
    .reduce((sum, sample) => sum + sample.value, 0);
}

/** The Realtime responses' token usage on /metrics, by type and modality, is what every `response.done` reported. */
export function expectTokensAsReported(
  samples: readonly Sample[],
  sessions: readonly RecordedRealtimeSession[],
): void {
  const usages = sessions.flatMap((session) => session.responses.flatMap((response) => response.usage ?? []));
  for (const type of ['input', 'output'] as const) {
    for (const modality of ['text', 'audio'] as const) {
      const reported = usages.reduce(
        (sum, usage) => sum + usage[`${type}_token_details`][`${modality}_tokens`],
        0,
      );
      expect(
        total(samples, 'voice_agent_gen_ai_client_token_usage_sum', {
          gen_ai_operation_name: 'realtime_inference',
          gen_ai_token_type: type,
          gen_ai_token_modality: modality,
        }),
        `${type} ${modality}`,
      ).toBe(reported);
    }
  }
}
