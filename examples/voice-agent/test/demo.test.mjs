// The demo end to end, as a user runs it: a bounded run under the register, with the embedded
// PostgreSQL and the bundled fake LLM. Every Prometheus family of docs/metrics.md must show up on
// /metrics, and the run must end by itself with exit code 0. Once per mode of
// OTEL_SEMCONV_STABILITY_OPT_IN: by default the families of the groups only an opt-in emits are left
// out; under gen_ai_latest_experimental those are in, and today's GenAI families the 2026 names take
// over for this demo's calls are out; under gen_ai/dup every family is in.

import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { METRIC_GROUPS } from '@va/semconv';
import { expect, test } from 'vitest';
import { START_PRELOADS, spawnDemo } from './support/demo-process.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const metricsDoc = join(here, '../../../docs/metrics.md');

const DURATION_SECONDS = 40;
const FAMILIES_WITHIN_MS = 60_000;
const EXIT_WITHIN_MS = (DURATION_SECONDS + 15) * 1000;

/** The headings of docs/metrics.md whose metrics only an opt-in emits. */
const OPT_IN_SECTIONS = new Set(
  METRIC_GROUPS.filter((group) => group.optIn !== undefined).map((group) => `## ${group.title}`),
);

/**
 * Today's GenAI families that only inference calls reach in this demo (its streams; token usage, which
 * the 2026 names count on their own counters for every call): absent under gen_ai_latest_experimental.
 * Audio calls keep gen_ai.client.operation.duration in every mode.
 */
const REPLACED_IN_LATEST = new Set([
  'voice_agent_gen_ai_client_token_usage_bucket',
  'voice_agent_gen_ai_client_operation_time_to_first_chunk_seconds_bucket',
  'voice_agent_gen_ai_client_operation_time_per_output_chunk_seconds_bucket',
]);

const MODES = [
  { name: 'default', optIn: undefined },
  { name: 'gen_ai_latest_experimental', optIn: 'gen_ai_latest_experimental' },
  { name: 'gen_ai/dup', optIn: 'gen_ai/dup' },
];

/**
 * The family to look for per metric of docs/metrics.md in a mode (the `_bucket` series of a
 * histogram, else its one series): { families } that must be on /metrics, { unwritten } that must not.
 */
function expectedFamilies(optIn) {
  const families = [];
  const unwritten = [];
  let optInSection = false;
  for (const line of readFileSync(metricsDoc, 'utf8').split('\n')) {
    if (line.startsWith('## ')) optInSection = OPT_IN_SECTIONS.has(line);
    if (!line.startsWith('| `')) continue;
    const seriesColumn = line.split('|')[2] ?? '';
    const series = [...seriesColumn.matchAll(/`(voice_agent_[a-z0-9_]+)`/g)].map((match) => match[1]);
    if (series.length === 0) continue;
    const family = series.find((name) => name.endsWith('_bucket')) ?? series[0];
    const written =
      optIn === undefined
        ? !optInSection
        : optIn !== 'gen_ai_latest_experimental' || !REPLACED_IN_LATEST.has(family);
    (written ? families : unwritten).push(family);
  }
  return { families, unwritten };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Metric names with at least one sample in a Prometheus text exposition. */
function sampledNames(text) {
  const names = new Set();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line);
    if (match) names.add(match[1]);
  }
  return names;
}

/** The sum of the samples of `name` whose labels include every one of `labels` (`key="value"`). */
function sampleSum(text, name, labels) {
  let sum;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = line.slice(name.length, line.lastIndexOf(' '));
    if (!labels.every((label) => labelText.includes(label))) continue;
    sum = (sum ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

/**
 * The demo's speech-to-speech calls, as the openai instrumentation records them: Realtime responses
 * on the GenAI duration histogram (today's name, or the 2026 one), and turns that reached the reply's
 * first audio.
 */
const REALTIME_CHECKS = {
  'Realtime responses on voice_agent_gen_ai_client_operation_duration_seconds_count or voice_agent_gen_ai_client_inference_duration_seconds_count':
    (text) =>
      ['operation_duration', 'inference_duration'].some(
        (name) =>
          (sampleSum(text, `voice_agent_gen_ai_client_${name}_seconds_count`, [
            'gen_ai_operation_name="realtime_inference"',
          ]) ?? 0) > 0,
      ),
  'voice_agent_voice_stage_duration_seconds_count{voice_stage="first_audio"} > 0': (text) =>
    (sampleSum(text, 'voice_agent_voice_stage_duration_seconds_count', ['voice_stage="first_audio"']) ?? 0) >
    0,
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test.each(MODES)(
  'npm start ($name mode): every metric family appears on /metrics, Realtime turns among them, and --duration ends the run with exit code 0',
  async ({ optIn }) => {
    const { families, unwritten } = expectedFamilies(optIn);
    // A guard against a parser that silently finds nothing (the reference lists over 40).
    expect(families.length).toBeGreaterThan(40);

    const metricsPort = await freePort();
    const startedAt = Date.now();
    // The bundled fake LLM, the embedded PostgreSQL and the Prometheus exporter, whatever the
    // developer's shell has set.
    const demo = spawnDemo(
      [...START_PRELOADS, 'src/main.js', '--duration', String(DURATION_SECONDS), '--quiet'],
      {
        PORT: '0',
        OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
        OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
        ...(optIn === undefined ? {} : { OTEL_SEMCONV_STABILITY_OPT_IN: optIn }),
      },
    );
    const { child, exited } = demo;

    try {
      // ready <port>, on a line of its own, once the API listens.
      let appPort;
      while (appPort === undefined) {
        const match = /^ready (\d+)$/m.exec(demo.output);
        if (match) appPort = Number(match[1]);
        else if (child.exitCode !== null)
          throw new Error(`the demo exited before it was ready:\n${demo.output}`);
        else if (Date.now() - startedAt > FAMILIES_WITHIN_MS) throw new Error(`never ready:\n${demo.output}`);
        else await sleep(100);
      }
      const health = await fetch(`http://127.0.0.1:${appPort}/health`);
      expect(health.status).toBe(200);

      let missing = [...families, ...Object.keys(REALTIME_CHECKS)];
      // Scrapes that did not answer 200 with a whole body: the first ones may come before the metrics server
      // listens; later ones would mean the exposition broke, and are shown if a family never appears.
      const scrapeProblems = [];
      let present = new Set();
      while (missing.length > 0 && Date.now() - startedAt < FAMILIES_WITHIN_MS && child.exitCode === null) {
        await sleep(1000);
        const at = Date.now() - startedAt;
        try {
          const response = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
          const body = await response.text();
          if (response.status !== 200) scrapeProblems.push(`${at} ms: status ${response.status}`);
          present = sampledNames(body);
          missing = [
            ...families.filter((family) => !present.has(family)),
            ...Object.entries(REALTIME_CHECKS)
              .filter(([, holds]) => !holds(body))
              .map(([check]) => check),
          ];
        } catch (error) {
          scrapeProblems.push(`${at} ms: ${error?.cause?.code ?? error?.message ?? error}`);
        }
      }
      const allPresentAfterMs = Date.now() - startedAt;
      expect(
        missing,
        `missing from /metrics after ${allPresentAfterMs} ms; failed scrapes: ${
          scrapeProblems.slice(-10).join(', ') || 'none'
        }; the demo's output ends:\n${demo.output.slice(-3000)}`,
      ).toEqual([]);
      expect(
        unwritten.filter((family) => present.has(family)),
        'on /metrics, though this mode does not write them',
      ).toEqual([]);
      console.log(
        `every one of the ${families.length} families, and the Realtime turns, were on /metrics ${allPresentAfterMs} ms after the start`,
      );

      const timeout = sleep(Math.max(0, EXIT_WITHIN_MS - (Date.now() - startedAt))).then(() => 'timeout');
      const result = await Promise.race([exited, timeout]);
      expect(result, `the demo did not end by itself within ${EXIT_WITHIN_MS} ms:\n${demo.output}`).not.toBe(
        'timeout',
      );
      expect(result, `the demo ended badly:\n${demo.output}`).toEqual({ code: 0, signal: null });
      expect(demo.output).not.toMatch(/MaxListenersExceeded|unexpected error|UnhandledPromiseRejection/);
    } finally {
      // On failure, stop it the polite way first, so it stops its PostgreSQL too.
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const stopped = await Promise.race([exited, sleep(10_000).then(() => false)]);
        if (!stopped) child.kill('SIGKILL');
      }
    }
  },
  120_000,
);
