// The dashboards are what grafana/generate-dashboards.mjs produces, and every expression of the kit
// (panels, recording rules, alerts) reads only series and labels that docs/metrics.md lists, or
// the recording rules of rules/recording.yml.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderDashboards, VARIABLES } from '../grafana/generate-dashboards.mjs';
import {
  allExpressions,
  DASHBOARDS_DIRECTORY,
  dashboards,
  KIT,
  readKitFile,
  recordingRules,
} from './expressions.mjs';
import { knownSeries } from './support/catalog.mjs';
import { analyse } from './support/check.mjs';
import { queryVariables } from './support/grafana-variables.mjs';
import { parsePromQL, selectorsOf } from './support/promql.mjs';

const series = knownSeries();

/** Labels of the recording rules' results, computed from their expressions; rules may read earlier rules. */
function recordedSeries() {
  const recorded = new Map();
  const resolve = (name) => {
    const known = series.get(name);
    return known === undefined
      ? recorded.get(name)
      : { labels: known.labels, exact: false, type: known.type };
  };
  for (const rule of recordingRules()) {
    const result = analyse(parsePromQL(rule.expr), resolve);
    const labels =
      result.labels === null ? null : new Set([...result.labels, ...Object.keys(rule.labels ?? {})]);
    const previous = recorded.get(rule.record);
    recorded.set(rule.record, {
      labels: previous === undefined || labels === null ? labels : new Set([...previous.labels, ...labels]),
      exact: result.exact && previous === undefined,
    });
  }
  return { recorded, resolve };
}

const { recorded, resolve } = recordedSeries();
const expressions = allExpressions();

describe('generated dashboards', () => {
  const generated = renderDashboards();

  it('are committed as generated (run `npm run generate` in examples/monitoring)', () => {
    for (const { file, text } of generated) expect(readKitFile(`${DASHBOARDS_DIRECTORY}/${file}`)).toBe(text);
    const committed = readdirSync(new URL(`${DASHBOARDS_DIRECTORY}/`, KIT)).filter((name) =>
      name.endsWith('.json'),
    );
    expect(committed.sort()).toEqual(generated.map(({ file }) => file).sort());
  });

  it('are overview, agent, llm-cost and speech-to-speech', () => {
    expect(generated.map(({ file }) => file)).toEqual([
      'overview.json',
      'agent.json',
      'llm-cost.json',
      'speech-to-speech.json',
    ]);
  });

  it.each(dashboards().map(({ file, json }) => [file, json]))(
    '%s queries Prometheus through the datasource template variable',
    (_, json) => {
      const variable = json.templating.list.find((candidate) => candidate.name === 'datasource');
      expect(variable).toMatchObject({ type: 'datasource', query: 'prometheus' });
      const reference = { type: 'prometheus', uid: '$' + '{datasource}' };
      for (const panel of json.panels.filter((candidate) => candidate.type !== 'row')) {
        expect(panel.datasource).toEqual(reference);
        expect(panel.targets.length).toBeGreaterThan(0);
        for (const target of panel.targets) expect(target.datasource).toEqual(reference);
      }
    },
  );

  const FILTER_LABELS = {
    job: 'job',
    instance: 'instance',
    agent: 'gen_ai_agent_name',
    provider: 'gen_ai_provider_name',
    model: 'gen_ai_request_model',
  };
  const EXPECTED_VARIABLES = {
    'grafana/dashboards/overview.json': ['job', 'service_name', 'instance'],
    'grafana/dashboards/agent.json': ['job', 'service_name', 'instance', 'agent'],
    'grafana/dashboards/llm-cost.json': ['job', 'service_name', 'instance', 'provider', 'model'],
    'grafana/dashboards/speech-to-speech.json': ['job', 'service_name', 'instance'],
  };

  it.each(dashboards().map(({ file, json }) => [file, json]))(
    '%s has multi-select label_values() variables, All selected',
    (file, json) => {
      const variables = queryVariables(json);
      expect(variables.map((variable) => variable.name)).toEqual(EXPECTED_VARIABLES[file]);
      for (const variable of variables) {
        expect(variable).toMatchObject({
          multi: true,
          includeAll: true,
          current: { value: ['$__all'] },
          datasource: { type: 'prometheus', uid: '$' + '{datasource}' },
          definition: variable.query.query,
        });
        expect(variable.query.query).toMatch(/^label_values\(/);
      }
      // instance alone lists its options for All, so that a chosen service narrows it
      expect(variables.map((variable) => variable.allValue)).toEqual(
        variables.map((variable) => (variable.name === 'instance' ? undefined : '.*')),
      );
    },
  );

  it.each(dashboards().map(({ file, json }) => [file, json]))(
    '%s filters every selector of every panel on its variables',
    (file, json) => {
      const wanted = EXPECTED_VARIABLES[file]
        .filter((name) => name !== 'service_name')
        .map((name) => ({ label: FILTER_LABELS[name], op: '=~', value: `$${name}` }));
      for (const panel of json.panels)
        for (const target of panel.targets ?? [])
          for (const selector of selectorsOf(parsePromQL(target.expr)))
            expect(selector.matchers.slice(0, wanted.length), `${panel.title}: ${target.expr}`).toEqual(
              wanted,
            );
    },
  );

  it.each(Object.entries(VARIABLES))('variable %s reads documented series and labels', (name, { query }) => {
    const { selector, label } = /^label_values\((?<selector>.+), (?<label>\w+)\)$/.exec(query).groups;
    const node = parsePromQL(selector);
    const nameMatcher = node.matchers.find((matcher) => matcher.label === '__name__');
    const metrics = node.name === undefined ? nameMatcher.value.split('|') : [node.name];
    for (const metric of metrics) {
      const known = series.get(metric);
      expect(known, `${name}: ${metric}`).toBeDefined();
      for (const wanted of [label, ...node.matchers.map((matcher) => matcher.label)])
        if (wanted !== '__name__')
          expect(known.labels.has(wanted), `${name}: ${metric} ${wanted}`).toBe(true);
    }
  });

  it.each(dashboards().map(({ file, json }) => [file, json]))('%s has a sound layout', (_, json) => {
    const ids = json.panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    const cells = new Set();
    for (const { gridPos, title } of json.panels) {
      expect(gridPos.x + gridPos.w, title).toBeLessThanOrEqual(24);
      for (let x = gridPos.x; x < gridPos.x + gridPos.w; x += 1)
        for (let y = gridPos.y; y < gridPos.y + gridPos.h; y += 1) {
          expect(cells.has(`${x},${y}`), `${title} overlaps another panel`).toBe(false);
          cells.add(`${x},${y}`);
        }
    }
  });

  it('have unique uids and titles', () => {
    const all = dashboards().map(({ json }) => json);
    expect(new Set(all.map((json) => json.uid)).size).toBe(all.length);
    expect(new Set(all.map((json) => json.title)).size).toBe(all.length);
  });

  it('show every panel the kit promises', () => {
    const titles = (file) =>
      dashboards()
        .find((dashboard) => dashboard.file.endsWith(file))
        .json.panels.map((panel) => panel.title.toLowerCase());
    const has = (file, ...words) =>
      expect(
        titles(file).some((title) => words.every((word) => title.includes(word))),
        `${file}: ${words.join(' ')}`,
      ).toBe(true);
    has('overview.json', 'requests per second');
    has('overview.json', 'success ratio');
    has('overview.json', 'latency quantiles');
    has('overview.json', 'by route');
    has('overview.json', 'query latency');
    has('overview.json', 'event loop');
    has('agent.json', 'node executions');
    has('agent.json', 'node p95');
    has('agent.json', 'tool calls', 'status');
    has('agent.json', 'tool p95');
    has('agent.json', 'turn response latency');
    has('agent.json', 'stage');
    has('agent.json', 'interruptions');
    has('agent.json', 'active sessions');
    has('agent.json', 'end reason');
    has('llm-cost.json', 'tokens per second by model and type');
    has('llm-cost.json', 'cost per hour by model');
    has('llm-cost.json', 'cumulative cost');
    has('llm-cost.json', 'time to first chunk');
    has('llm-cost.json', 'llm call duration p95');
    has('llm-cost.json', 'errors', 'error_type');
    has('llm-cost.json', 'cached share');
    has('speech-to-speech.json', 'speech-to-speech stages');
    has('speech-to-speech.json', 'time to first chunk', 'speech-to-speech vs pipeline');
    has('speech-to-speech.json', 'end reason');
    has('speech-to-speech.json', 'tokens per second', 'modality');
    has('speech-to-speech.json', 'spend', 'modality');
    has('speech-to-speech.json', 'rate-limit remaining share');
    has('speech-to-speech.json', 'error', 'error_type');
  });
});

describe('every expression reads documented series and labels', () => {
  it('docs/metrics.md lists the series the kit reads', () => {
    expect(series.get('voice_agent_http_server_request_duration_seconds_bucket')?.labels.has('le')).toBe(
      true,
    );
    expect(series.get('voice_agent_gen_ai_client_cost_usd_total')?.type).toBe('counter');
    expect(series.get('voice_agent_voice_stage_duration_seconds_count')?.labels.has('voice_stage')).toBe(
      true,
    );
  });

  it.each(expressions.map((entry) => [entry.id, entry]))('%s', (_, entry) => {
    const { problems } = analyse(parsePromQL(entry.expr), resolve);
    expect(problems).toEqual([]);
    for (const selector of entry.selectors) {
      const known = series.get(selector.metric) ?? recorded.get(selector.metric);
      expect(known, selector.metric).toBeDefined();
      if (!selector.recordingRule)
        expect(
          selector.metric === 'up' ||
            selector.metric === 'target_info' ||
            selector.metric.startsWith('voice_agent_'),
        ).toBe(true);
    }
  });

  it('every recording rule is read by a panel or an alert', () => {
    const read = new Set(
      expressions.filter((entry) => entry.kind !== 'recording').flatMap((entry) => entry.recordingRules),
    );
    for (const record of recorded.keys()) expect(read.has(record), record).toBe(true);
  });
});

describe('allExpressions()', () => {
  it('lists panels, recording rules and alerts under unique ids', () => {
    const ids = expressions.map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
    const kinds = (kind) => expressions.filter((entry) => entry.kind === kind).length;
    expect(kinds('recording')).toBe(recordingRules().length);
    expect(kinds('alert')).toBe(12);
    expect(kinds('panel')).toBe(
      dashboards().reduce(
        (total, { json }) =>
          total + json.panels.reduce((sum, panel) => sum + (panel.targets?.length ?? 0), 0),
        0,
      ),
    );
  });

  it('gives the inner selectors of every alert, down to the raw series behind the recording rules', () => {
    const latency = expressions.find((entry) => entry.id === 'rules/alerts.yml#VoiceAgentLLMLatencyHigh');
    expect(latency.innerSelectors).toEqual([
      'job_gen_ai_request_model:voice_agent_gen_ai_client_operation_duration_seconds:quantile_rate5m{quantile="0.95"}',
    ]);
    // the calls under every OTEL_SEMCONV_STABILITY_OPT_IN mode: today's name, then the 2026 ones
    expect(latency.sourceSelectors).toEqual([
      'voice_agent_gen_ai_client_operation_duration_seconds_bucket{error_type!="canceled"}',
      'voice_agent_gen_ai_client_inference_duration_seconds_bucket{error_type!="canceled"}',
      'voice_agent_gen_ai_client_embeddings_duration_seconds_bucket{error_type!="canceled"}',
    ]);
    expect(latency.recordingRules).toEqual([
      'job_gen_ai_request_model:voice_agent_gen_ai_client_operation_duration_seconds:quantile_rate5m',
    ]);
    for (const alert of expressions.filter((entry) => entry.kind === 'alert')) {
      expect(alert.innerSelectors.length).toBeGreaterThan(0);
      for (const selector of alert.sourceSelectors)
        expect(selector).toMatch(/^(voice_agent_[a-z0-9_]+|up)(\{.*\})?$/);
    }
  });
});

describe('the expression checker', () => {
  const problems = (expr) => analyse(parsePromQL(expr), resolve).problems;

  it('accepts a documented expression', () => {
    expect(
      problems(
        'histogram_quantile(0.95, sum by (le, gen_ai_request_model) (rate(voice_agent_gen_ai_client_operation_time_to_first_chunk_seconds_bucket[5m])))',
      ),
    ).toEqual([]);
  });

  it('rejects an unknown series, a bare histogram name and a misspelt recording rule', () => {
    expect(problems('rate(voice_agent_tool_calls_total[5m])')).toEqual([
      'unknown series voice_agent_tool_calls_total',
    ]);
    expect(problems('voice_agent_http_server_request_duration_seconds')).toHaveLength(1);
    expect(problems('job:voice_agent_voice_turn_response_latency_seconds:p95')).toHaveLength(1);
  });

  it('rejects labels the series does not carry, in matchers, by, on and label_replace', () => {
    expect(problems('voice_agent_voice_turns_total{error_type="x"}')).toHaveLength(1);
    expect(
      problems('sum by (http_route) (rate(voice_agent_db_client_operation_duration_seconds_count[5m]))'),
    ).toHaveLength(1);
    expect(
      problems(
        'histogram_quantile(0.95, sum by (job) (rate(voice_agent_agent_node_duration_seconds_bucket[5m])))',
      ),
    ).toEqual(['histogram_quantile over series without le (job)']);
    expect(
      problems(
        'sum by (job) (rate(voice_agent_voice_turns_total[5m])) / on (voice_stage) sum by (job) (rate(voice_agent_voice_turns_total[5m]))',
      ),
    ).toHaveLength(2);
    expect(
      problems(
        'label_replace(sum by (job) (voice_agent_voice_session_active), "a", "$1", "gen_ai_agent_name", "(.*)")',
      ),
    ).toHaveLength(1);
    expect(problems(`${[...recorded.keys()][0]}{gen_ai_tool_name="x"}`)).toHaveLength(1);
  });

  it('rejects rate() of a gauge, a range outside a range function and mismatched label sets', () => {
    expect(problems('rate(voice_agent_voice_session_active[5m])')).toHaveLength(1);
    expect(problems('sum(voice_agent_voice_turns_total[5m])')).toHaveLength(1);
    expect(
      problems(
        'sum by (job, voice_turn_end_reason) (rate(voice_agent_voice_turns_total[5m])) / sum by (job) (rate(voice_agent_voice_turns_total[5m]))',
      ),
    ).toHaveLength(1);
  });
});
