// What the register must show for the fixture app's traffic (app/traffic.cjs) whatever tracer the
// application runs beside it: every event once on /metrics, and one line of its own in the output.
import { expect } from 'vitest';
import type { Sample } from '../../support/exposition.js';
import { total } from './host-run.js';

/**
 * Every forced major GC, and no more than the process had since its first preload: a GC counted
 * twice (two runtime instrumentations on one MeterProvider) breaks the upper bound. A GC while the
 * register or the tracer was still loading may be seen by the counter alone, so not exactly equal.
 */
export function expectMajorGcs(counted: number, summary: Record<string, number>): void {
  expect(counted).toBeGreaterThanOrEqual(summary.forcedMajorGcs!);
  expect(counted).toBeLessThanOrEqual(summary.majorGcs!);
}

/**
 * Each request, query, LLM call, agent step, voice turn and forced GC of the app exactly once on
 * /metrics, and no upstream instrumentation's series there: a client request of a tracer's own (its
 * exports) would break the client count.
 */
export function expectOurCounts(result: {
  samples: readonly Sample[];
  summary: Record<string, number>;
}): void {
  const { samples, summary } = result;
  expect(total(samples, 'voice_agent_http_server_request_duration_seconds_count')).toBe(
    summary.serverRequests,
  );
  expect(total(samples, 'voice_agent_http_client_request_duration_seconds_count')).toBe(
    summary.fetches! + summary.gets!,
  );
  expect(total(samples, 'voice_agent_db_client_operation_duration_seconds_count')).toBe(
    summary.queries! + summary.failedQueries!,
  );
  expect(
    total(samples, 'voice_agent_db_client_operation_duration_seconds_count', { error_type: '42P01' }),
  ).toBe(summary.failedQueries);
  expect(total(samples, 'voice_agent_gen_ai_client_operation_duration_seconds_count')).toBe(summary.llmCalls);
  expect(total(samples, 'voice_agent_gen_ai_invoke_agent_duration_seconds_count')).toBe(
    summary.agentInvocations,
  );
  expect(total(samples, 'voice_agent_gen_ai_execute_tool_duration_seconds_count')).toBe(summary.toolCalls);
  // An app that reports no voice turns had none: nothing may show then either.
  expect(total(samples, 'voice_agent_voice_turns_total')).toBe(summary.voiceTurns ?? 0);
  expect(total(samples, 'voice_agent_voice_turn_response_latency_seconds_count')).toBe(
    summary.voiceTurns ?? 0,
  );
  expectMajorGcs(
    total(samples, 'voice_agent_v8js_gc_duration_seconds_count', { v8js_gc_type: 'major' }),
    summary,
  );
  // No upstream instrumentation's series reached ours.
  const scopes = new Set(samples.map((sample) => sample.labels.otel_scope_name).filter(Boolean));
  expect([...scopes].filter((scope) => scope!.startsWith('@opentelemetry/'))).toEqual([]);
}

/** One line from us, the start line (diag's console logger writes info to stdout). */
export function expectOnlyOurStartLine(output: { stdout: string; stderr: string }): void {
  const ours = `${output.stdout}${output.stderr}`
    .split('\n')
    .filter((line) => line.includes('@va/otel-register'));
  expect(ours).toHaveLength(1);
  expect(ours[0]).toMatch(/^@va\/otel-register metrics: prometheus on /);
}
