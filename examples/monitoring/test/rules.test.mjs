// The rule files and the Prometheus configuration through promtool (Debian package `prometheus`):
// `check rules`, `test rules` (rules/tests/*.yml) and `check config`. Without promtool these tests
// are skipped with a warning, except in CI, where they fail: a missing install step must not turn
// into a green run that proved nothing. The structure of the rules is checked without promtool.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ALERTING_RULES_FILE,
  alertingRules,
  allExpressions,
  KIT,
  RECORDING_RULES_FILE,
  readKitFile,
  recordingRules,
} from './expressions.mjs';
import { findPromtool, inCI } from './support/promtool.mjs';
import { parseYaml } from './support/yaml.mjs';

const kitDirectory = fileURLToPath(KIT);
const RULE_TESTS = readdirSync(new URL('rules/tests/', KIT))
  .filter((name) => name.endsWith('.yml'))
  .sort()
  .map((name) => `rules/tests/${name}`);

const promtool = findPromtool();
if (promtool === undefined && !inCI) {
  console.warn(
    'SKIPPED: promtool is not on PATH (Debian package `prometheus`, or set PROMTOOL_BIN); the rules are not checked by promtool.',
  );
}

function runPromtool(args) {
  if (promtool === undefined) {
    throw new Error('promtool is not on PATH, and CI must not skip this test: apt-get install prometheus');
  }
  const result = spawnSync(promtool, args, { cwd: kitDirectory, encoding: 'utf8', timeout: 60_000 });
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0)
    throw new Error(`promtool ${args.join(' ')} failed (${result.status}):\n${output}`);
  return output;
}

describe.runIf(promtool !== undefined || inCI)('promtool', () => {
  it('check rules accepts both rule files, and counts the rules this suite reads', () => {
    const output = runPromtool(['check', 'rules', RECORDING_RULES_FILE, ALERTING_RULES_FILE]);
    const counts = [...output.matchAll(/SUCCESS: (\d+) rules found/g)].map((match) => Number(match[1]));
    // the same numbers through the YAML reader of these tests: it misses no rule
    expect(counts).toEqual([recordingRules().length, alertingRules().length]);
  });

  it.each(RULE_TESTS)('test rules %s', (file) => {
    expect(runPromtool(['test', 'rules', file])).toContain('SUCCESS');
  });

  it('accepts every dashboard expression as PromQL (evaluated over an empty TSDB with the rules loaded)', () => {
    // A promtool test file written as JSON, which is YAML too: each panel expression evaluated once.
    // promtool reports a parse error with the expression; over no data each returns nothing.
    const directory = mkdtempSync(join(tmpdir(), 'va-monitoring-'));
    try {
      const file = join(directory, 'panels.test.yml');
      const panels = allExpressions().filter((entry) => entry.kind === 'panel');
      const test = {
        rule_files: [RECORDING_RULES_FILE, ALERTING_RULES_FILE].map((rules) => join(kitDirectory, rules)),
        evaluation_interval: '1m',
        tests: [
          {
            interval: '1m',
            input_series: [],
            promql_expr_test: panels.map((entry) => ({ expr: entry.expr, eval_time: '1m', exp_samples: [] })),
          },
        ],
      };
      writeFileSync(file, JSON.stringify(test, null, 2));
      expect(runPromtool(['test', 'rules', file])).toContain('SUCCESS');
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('check config accepts prometheus.yml and finds its rule files', () => {
    const output = runPromtool(['check', 'config', 'prometheus.yml']);
    expect(output).toContain('SUCCESS: 2 rule files found');
    expect(output).toContain('is valid prometheus config file syntax');
  });
});

describe('prometheus.yml', () => {
  const config = parseYaml(readKitFile('prometheus.yml'));

  it('scrapes localhost:9464 every 5 s as job voice-agent and loads both rule files', () => {
    expect(config.global.scrape_interval).toBe('5s');
    expect(config.rule_files).toEqual([RECORDING_RULES_FILE, ALERTING_RULES_FILE]);
    expect(config.scrape_configs).toHaveLength(1);
    const [job] = config.scrape_configs;
    expect(job.job_name).toBe('voice-agent');
    expect(job.scrape_interval ?? config.global.scrape_interval).toBe('5s');
    expect(job.static_configs.flatMap((entry) => entry.targets)).toEqual(['localhost:9464']);
  });

  it('is the job the scrape-down alert watches', () => {
    const alert = alertingRules().find((rule) => rule.alert === 'VoiceAgentScrapeDown');
    expect(alert.expr).toContain(`job="${config.scrape_configs[0].job_name}"`);
  });
});

describe('recording rules', () => {
  const rules = recordingRules();

  it.each(rules.map((rule) => [`${rule.record}${rule.labels ? JSON.stringify(rule.labels) : ''}`, rule]))(
    '%s is named level:metric:operations',
    (_, rule) => {
      expect(rule.record).toMatch(/^job(_[a-z0-9_]+)?:voice_agent_[a-z0-9_]+:[a-z0-9_]+$/);
      const [level] = rule.record.split(':');
      // the level lists the labels of the `by` clause, job first, le aside
      const grouping = /by \(([^)]*)\)/
        .exec(rule.expr)[1]
        .split(', ')
        .filter((label) => label !== 'le');
      expect(level).toBe(grouping.join('_'));
    },
  );

  it('computes each quantile once, with the quantile in a label that matches histogram_quantile', () => {
    for (const rule of rules.filter((candidate) => candidate.record.endsWith(':quantile_rate5m'))) {
      expect(rule.labels?.quantile).toBeDefined();
      expect(rule.expr.startsWith(`histogram_quantile(${rule.labels.quantile}, `)).toBe(true);
    }
    const keys = rules.map((rule) => `${rule.record}${JSON.stringify(rule.labels ?? {})}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('are each covered by a promql_expr_test', () => {
    const tests = parseYaml(readKitFile('rules/tests/recording.test.yml'));
    const tested = tests.tests.flatMap((group) => (group.promql_expr_test ?? []).map((test) => test.expr));
    for (const record of new Set(rules.map((rule) => rule.record)))
      expect(tested.some((expr) => expr.includes(record))).toBe(true);
  });
});

describe('alerting rules', () => {
  const rules = alertingRules();
  const tests = parseYaml(readKitFile('rules/tests/alerts.test.yml'));
  const cases = tests.tests.flatMap((group) =>
    (group.alert_rule_test ?? []).map((test) => ({ ...test, group: group.name })),
  );

  it('have unique names', () => {
    const names = rules.map((rule) => rule.alert);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(rules.map((rule) => [rule.alert, rule]))(
    '%s has a for, a severity and templated annotations',
    (_, rule) => {
      expect(rule.for).toMatch(/^[0-9]+[smh]$/);
      expect(['critical', 'warning']).toContain(rule.labels.severity);
      expect(Object.keys(rule.annotations).sort()).toEqual(['description', 'summary']);
      for (const text of Object.values(rule.annotations)) expect(text).toMatch(/\{\{ \$labels\.[a-z_]+ \}\}/);
    },
  );

  it.each(rules.map((rule) => [rule.alert]))('%s has a firing and a non-firing unit test', (alert) => {
    const mine = cases.filter((test) => test.alertname === alert);
    expect(mine.some((test) => test.exp_alerts.length > 0)).toBe(true);
    expect(mine.some((test) => test.exp_alerts.length === 0)).toBe(true);
  });

  it('leave barge-in cancels out of the LLM error ratio, on both sides', () => {
    const rule = rules.find((candidate) => candidate.alert === 'VoiceAgentLLMErrorRatioHigh');
    const [numerator, denominator] = rule.expr.split('\n  /\n');
    expect(numerator).toContain('error_type!="", error_type!="canceled"');
    expect(denominator).toContain('error_type!="canceled"');
  });

  it('are tested with every rule group in a fixed evaluation order', () => {
    const groups = [...new Set([...recordingRules(), ...rules].map((rule) => rule.group))];
    expect([...tests.group_eval_order].sort()).toEqual([...groups].sort());
    // recording groups before the alert groups that read them
    const order = tests.group_eval_order;
    const lastRecording = Math.max(...recordingRules().map((rule) => order.indexOf(rule.group)));
    const firstAlert = Math.min(...rules.map((rule) => order.indexOf(rule.group)));
    expect(lastRecording).toBeLessThan(firstAlert);
  });
});
