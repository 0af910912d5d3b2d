// The kit in every mode of OTEL_SEMCONV_STABILITY_OPT_IN. One traffic of LLM calls is written as the
// SDK writes it in each mode (support/conventions-traffic.mjs): today's GenAI names by default, the
// 2026 names under gen_ai_latest_experimental (audio calls staying on today's), both under gen_ai/dup,
// each mode as its own job and instance. Every panel, recording rule and alert that reads a GenAI
// family must give, through promtool, the same result in each mode as in the default one: under
// gen_ai/dup a call written twice must still count once.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GEN_AI_FAMILIES_BY_CONVENTIONS } from '../grafana/generate-dashboards.mjs';
import {
  ALERTING_RULES_FILE,
  alertingRules,
  dashboards,
  KIT,
  RECORDING_RULES_FILE,
  recordingRules,
} from './expressions.mjs';
import { MODES, trafficSeries } from './support/conventions-traffic.mjs';
import { interpolate } from './support/grafana-variables.mjs';
import { findPromtool, inCI } from './support/promtool.mjs';

const kitDirectory = fileURLToPath(KIT);
const promtool = findPromtool();

const GEN_AI_FAMILIES = [...GEN_AI_FAMILIES_BY_CONVENTIONS.current, ...GEN_AI_FAMILIES_BY_CONVENTIONS.latest];
/** Whether an expression reads a GenAI family itself (a recording rule's name only quotes one). */
const readsGenAI = (expr) => GEN_AI_FAMILIES.some((family) => new RegExp(`(?<![:\\w])${family}`).test(expr));

/** A panel's expression as Grafana sends it for one mode's instance, every other variable at All. */
function panelFor(expr, mode) {
  const values = new Map([
    ['job', mode],
    ['instance', mode],
    ['provider', '.*'],
    ['model', '.*'],
    ['agent', '.*'],
  ]);
  return interpolate(expr, values);
}

/**
 * 3 when `modeExpr` and `defaultExpr` give the same series, the same values (to 1e-9): the default
 * one has data, both have as many series, and each of them differs by less than 1e-9 from its peer.
 * Series of value 0 are left aside: under the 2026 names a failed call adds 0 under modality
 * `unknown`, which a panel split by modality shows as a series of its own, at 0.
 */
function sameResult(modeQuery, defaultQuery) {
  const modeExpr = `((${modeQuery}) != 0)`;
  const defaultExpr = `((${defaultQuery}) != 0)`;
  const difference = `abs((${modeExpr}) - ignoring (job, instance) (${defaultExpr}))`;
  return [
    `(count(${defaultExpr}) > bool 0)`,
    `(count(${modeExpr}) == bool count(${defaultExpr}))`,
    `(count(${difference} < 1e-9) == bool count(${defaultExpr}))`,
  ].join(' + ');
}

/** The expressions to compare: [{ id, of(mode) }], each the same query for one mode's series. */
function comparedExpressions() {
  const compared = [];
  for (const { file, json } of dashboards())
    for (const panel of json.panels)
      for (const target of panel.targets ?? [])
        if (readsGenAI(target.expr))
          compared.push({
            id: `${file} ${panel.title} ${target.refId}`,
            of: (mode) => panelFor(target.expr, mode),
          });
  for (const rule of recordingRules())
    if (readsGenAI(rule.expr))
      compared.push({
        id: `${rule.record}${JSON.stringify(rule.labels ?? {})}`,
        of: (mode) =>
          `${rule.record}{job="${mode}"${rule.labels?.quantile ? `, quantile="${rule.labels.quantile}"` : ''}}`,
      });
  for (const rule of alertingRules())
    if (readsGenAI(rule.expr) && rule.alert !== 'VoiceAgentLLMMetricsAbsent')
      compared.push({ id: rule.alert, of: (mode) => `(${rule.expr}) and on (job) up{job="${mode}"}` });
  return compared;
}

function runPromtool(file) {
  const result = spawnSync(promtool, ['test', 'rules', file], {
    cwd: kitDirectory,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe.runIf(promtool !== undefined || inCI)('the kit in every OTEL_SEMCONV_STABILITY_OPT_IN mode', () => {
  const ruleFiles = [RECORDING_RULES_FILE, ALERTING_RULES_FILE].map((rules) => join(kitDirectory, rules));

  function promtoolTest(tests) {
    if (promtool === undefined) throw new Error('promtool is not on PATH, and CI must not skip this test');
    const directory = mkdtempSync(join(tmpdir(), 'va-monitoring-modes-'));
    try {
      const file = join(directory, 'modes.test.yml');
      const groups = [
        'voice_agent_http_recording',
        'voice_agent_llm_recording',
        'voice_agent_voice_recording',
      ];
      // JSON is YAML too.
      writeFileSync(
        file,
        JSON.stringify(
          { rule_files: ruleFiles, evaluation_interval: '1m', group_eval_order: groups, tests },
          null,
          2,
        ),
      );
      return runPromtool(file);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }

  it('every panel, recording rule and alert reading GenAI series gives the default mode result in the others', () => {
    const compared = comparedExpressions();
    // llm-cost and speech-to-speech panels, the two LLM quantile rules, the LLM and Realtime error ratios
    expect(compared.length).toBeGreaterThan(20);
    const tests = [
      {
        interval: '1m',
        input_series: MODES.flatMap((mode) => trafficSeries(mode)),
        promql_expr_test: MODES.filter((mode) => mode !== 'default').flatMap((mode) =>
          compared.map(({ of }) => ({
            expr: sameResult(of(mode), of('default')),
            eval_time: '15m',
            exp_samples: [{ labels: '{}', value: 3 }],
          })),
        ),
      },
    ];
    const { status, output } = promtoolTest(tests);
    // promtool quotes a failing expression in full (as Go does, much as JSON does): name the panel or rule
    const quoted = (expr) => JSON.stringify(expr).slice(1, -1);
    const failing = MODES.filter((mode) => mode !== 'default').flatMap((mode) =>
      compared
        .filter(({ of }) => output.includes(quoted(sameResult(of(mode), of('default')))))
        .map(({ id }) => `${mode}: ${id}`),
    );
    expect(failing).toEqual([]);
    expect(status, output).toBe(0);
  });

  it('VoiceAgentLLMMetricsAbsent fires in every mode when the calls stop and the turns go on', () => {
    const alert = alertingRules().find((rule) => rule.alert === 'VoiceAgentLLMMetricsAbsent');
    expect(readsGenAI(alert.expr)).toBe(true);
    const tests = [
      {
        interval: '1m',
        input_series: MODES.flatMap((mode) => trafficSeries(mode, { minutes: 10, thenTurnsOnly: 40 })),
        alert_rule_test: [
          { eval_time: '8m', alertname: 'VoiceAgentLLMMetricsAbsent', exp_alerts: [] },
          {
            eval_time: '45m',
            alertname: 'VoiceAgentLLMMetricsAbsent',
            exp_alerts: MODES.map((mode) => ({
              exp_labels: { severity: 'warning', job: mode },
              exp_annotations: Object.fromEntries(
                Object.entries(alert.annotations).map(([key, text]) => [
                  key,
                  text.replaceAll('{{ $labels.job }}', mode),
                ]),
              ),
            })),
          },
        ],
      },
    ];
    const { status, output } = promtoolTest(tests);
    expect(status, output).toBe(0);
  });
});
