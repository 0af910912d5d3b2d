#!/usr/bin/env node
// Generates the Grafana dashboards of grafana/dashboards/ from the data below: a panel is a title,
// a unit and its PromQL. This script is the source of truth; edit it, then run
// `npm run generate --workspace examples/monitoring` and commit both. A test fails when the
// committed JSON differs from what this script produces.
//
// Every expression uses only the series of docs/metrics.md (prefix `voice_agent_`) and `target_info`;
// test/dashboards.test.mjs checks the names and labels. Panels read no recording rule: the rules
// aggregate by job, so they could not honour the instance, provider or model a viewer picks.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The Prometheus data source, chosen through the `datasource` template variable. */
const DATASOURCE = { type: 'prometheus', uid: '$' + '{datasource}' };

const HTTP = 'voice_agent_http_server_request_duration_seconds';
const HTTP_CLIENT = 'voice_agent_http_client_request_duration_seconds';
const DB = 'voice_agent_db_client_operation_duration_seconds';
const LLM = 'voice_agent_gen_ai_client_operation_duration_seconds';
const TTFC = 'voice_agent_gen_ai_client_operation_time_to_first_chunk_seconds';
const TPOC = 'voice_agent_gen_ai_client_operation_time_per_output_chunk_seconds';
const TOKENS = 'voice_agent_gen_ai_client_token_usage';
const COST = 'voice_agent_gen_ai_client_cost_usd_total';
const CACHED = 'voice_agent_gen_ai_client_inference_usage_cache_read_input_tokens_total';
const REASONING = 'voice_agent_gen_ai_client_inference_usage_reasoning_output_tokens_total';
const AGENT = 'voice_agent_gen_ai_invoke_agent_duration_seconds';
const NODE = 'voice_agent_agent_node_duration_seconds';
const TOOL = 'voice_agent_gen_ai_execute_tool_duration_seconds';
const TURN = 'voice_agent_voice_turn_response_latency_seconds';
const TURNS = 'voice_agent_voice_turns_total';
const STAGE = 'voice_agent_voice_stage_duration_seconds';
const REALTIME_ERRORS = 'voice_agent_gen_ai_client_realtime_errors_total';
const RATE_LIMIT_REMAINING = 'voice_agent_gen_ai_client_rate_limit_remaining';
const RATE_LIMIT_LIMIT = 'voice_agent_gen_ai_client_rate_limit_limit';

// Under OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental (docs/metrics.md, the 2026 GenAI
// conventions) inference and embeddings calls are recorded under these names instead of LLM, TTFC,
// TPOC and TOKENS above; gen_ai/dup records both. Audio calls stay on LLM in every mode.
const INFERENCE = 'voice_agent_gen_ai_client_inference_duration_seconds';
const EMBEDDINGS = 'voice_agent_gen_ai_client_embeddings_duration_seconds';
const INFERENCE_TTFC = 'voice_agent_gen_ai_client_inference_time_to_first_chunk_seconds';
const INFERENCE_TPOC = 'voice_agent_gen_ai_client_inference_time_per_output_chunk_seconds';
const INPUT_TOKENS = 'voice_agent_gen_ai_client_inference_usage_input_tokens_total';
const OUTPUT_TOKENS = 'voice_agent_gen_ai_client_inference_usage_output_tokens_total';
const EMBEDDINGS_INPUT_TOKENS = 'voice_agent_gen_ai_client_embeddings_operation_input_tokens';

/** Each LLM histogram and the histograms that hold the same calls under the 2026 names. */
export const LLM_HISTOGRAMS = {
  duration: [LLM, INFERENCE, EMBEDDINGS],
  timeToFirstChunk: [TTFC, INFERENCE_TTFC],
  timePerOutputChunk: [TPOC, INFERENCE_TPOC],
};
/**
 * The GenAI families each mode of OTEL_SEMCONV_STABILITY_OPT_IN writes for inference and embeddings
 * calls: `current` by default, `latest` under gen_ai_latest_experimental, both under gen_ai/dup.
 */
export const GEN_AI_FAMILIES_BY_CONVENTIONS = {
  current: [LLM, TTFC, TPOC, TOKENS],
  latest: [
    INFERENCE,
    EMBEDDINGS,
    INFERENCE_TTFC,
    INFERENCE_TPOC,
    INPUT_TOKENS,
    OUTPUT_TOKENS,
    EMBEDDINGS_INPUT_TOKENS,
  ],
};
const LLM_CALL_COUNTS = LLM_HISTOGRAMS.duration.map((histogram) => `${histogram}_count`).join('|');

// Template variables, each a Prometheus label_values() query
// (https://grafana.com/docs/grafana/latest/datasources/prometheus/template-variables/). Several
// services scraped by one Prometheus must not mix on a panel, so every selector of every panel
// carries the matchers of its dashboard's variables (FILTERS below).
//
// `allValue: '.*'` makes "All" match every series, those without the label too: the model and the
// agent are conditional labels, absent on some series. The instance variable has no allValue on
// purpose: "All" then expands to the instances listed, so choosing a service narrows every panel to
// its instances without each query joining on target_info.
export const VARIABLES = {
  job: { label: 'Job', query: 'label_values(target_info, job)', allValue: '.*' },
  service_name: {
    label: 'Service',
    query: 'label_values(target_info{job=~"$job"}, service_name)',
    allValue: '.*',
  },
  instance: {
    label: 'Instance',
    query: 'label_values(target_info{job=~"$job", service_name=~"$service_name"}, instance)',
  },
  provider: {
    label: 'Provider',
    query: `label_values({__name__=~"${LLM_CALL_COUNTS}", job=~"$job", instance=~"$instance"}, gen_ai_provider_name)`,
    allValue: '.*',
  },
  model: {
    label: 'Model',
    query: `label_values({__name__=~"${LLM_CALL_COUNTS}", job=~"$job", instance=~"$instance", gen_ai_provider_name=~"$provider"}, gen_ai_request_model)`,
    allValue: '.*',
  },
  agent: {
    // agents that invoke (agent instrumentation) and agents that talk (voice instrumentation)
    label: 'Agent',
    query: `label_values({__name__=~"${AGENT}_count|${TURNS}", job=~"$job", instance=~"$instance"}, gen_ai_agent_name)`,
    allValue: '.*',
  },
};

/** The matcher each variable adds to a panel's selectors (service_name acts through instance). */
const FILTERS = {
  job: 'job=~"$job"',
  instance: 'instance=~"$instance"',
  provider: 'gen_ai_provider_name=~"$provider"',
  model: 'gen_ai_request_model=~"$model"',
  agent: 'gen_ai_agent_name=~"$agent"',
};

/** A selector builder for a dashboard: `metric{<the filters of its variables>, <matchers>}`. */
function selectorWith(variables) {
  const filters = variables.map((name) => FILTERS[name]);
  return (metric, ...matchers) => `${metric}{${[...filters, ...matchers].join(', ')}}`;
}

/** histogram_quantile(q, …) over a 5m rate of the buckets `select` picks, by `by` and `le`. */
function quantile(select, q, histogram, by = [], ...matchers) {
  const labels = [...by, 'le'].join(', ');
  return `histogram_quantile(${q}, sum by (${labels}) (rate(${select(`${histogram}_bucket`, ...matchers)}[5m])))`;
}

/** _sum / _count over a 5m rate: the mean of a histogram, by `by`. */
function mean(select, histogram, by = [], window = '5m') {
  const sum = by.length > 0 ? `sum by (${by.join(', ')}) ` : 'sum';
  return `${sum}(rate(${select(`${histogram}_sum`)}[${window}])) / ${sum}(rate(${select(`${histogram}_count`)}[${window}]))`;
}

/** sum by (`by`) (rate(selector[5m])). */
function rate(select, metric, by = [], ...matchers) {
  const sum = by.length > 0 ? `sum by (${by.join(', ')}) ` : 'sum';
  return `${sum}(rate(${select(metric, ...matchers)}[5m]))`;
}

// One quantity under the names of every OTEL_SEMCONV_STABILITY_OPT_IN mode. Each part is summed by
// `by`, the operation and the labels any part sets, then the parts are joined with `or`, which keeps
// a series of a later part only where no earlier part has one with the same labels: under gen_ai/dup,
// where a call is on both names, it counts once; in the other modes the parts do not overlap (audio
// calls, on today's name in every mode, differ by operation from the inference calls beside them).

const OPERATION = 'gen_ai_operation_name';
const MODALITY = 'gen_ai_token_modality';

/**
 * sum by (`by`) of the 5m rates of `parts`: [{ metric, matchers?, sets?, lacks? }], `sets` a label
 * the part's series lack and the value they stand for (a token type), `lacks` labels they lack and stand
 * for no value of: the part is left out when `by` splits by one.
 */
function rateInEveryMode(select, allParts, by = [], ...matchers) {
  const parts = allParts.filter((part) => !(part.lacks ?? []).some((label) => by.includes(label)));
  const set = parts.flatMap((part) => Object.keys(part.sets ?? {}));
  const labels = [...new Set([...by, OPERATION, ...set])];
  const expressions = parts.map(({ metric, matchers: own = [], sets = {} }) => {
    const kept = labels.filter((label) => !(label in sets)).join(', ');
    let expression = `sum by (${kept}) (rate(${select(metric, ...matchers, ...own)}[5m]))`;
    for (const [label, value] of Object.entries(sets))
      expression = `label_replace(${expression}, "${label}", "${value}", "", "")`;
    return expression;
  });
  const sum = by.length > 0 ? `sum by (${by.join(', ')}) ` : 'sum';
  return `${sum}(${expressions.join(' or ')})`;
}

/** histogram_quantile(q, …) of one of LLM_HISTOGRAMS, over the names of every mode. */
function quantileInEveryMode(select, q, histograms, by = [], ...matchers) {
  const parts = histograms.map((histogram) => ({ metric: `${histogram}_bucket` }));
  return `histogram_quantile(${q}, ${rateInEveryMode(select, parts, [...by, 'le'], ...matchers)})`;
}

/** Calls per second (the _count of LLM_HISTOGRAMS.duration), over the names of every mode. */
function callRate(select, by = [], ...matchers) {
  return rateInEveryMode(
    select,
    LLM_HISTOGRAMS.duration.map((histogram) => ({ metric: `${histogram}_count` })),
    by,
    ...matchers,
  );
}

/**
 * The series of reported tokens of `types` ('input', 'output'): today the _sum of the token usage
 * histogram, by gen_ai_token_type; under the 2026 names the usage counters, and for embeddings, which
 * have no counter there, the _sum of their per-call histogram.
 */
function tokenParts(types) {
  const latest = {
    input: [INPUT_TOKENS, `${EMBEDDINGS_INPUT_TOKENS}_sum`],
    output: [OUTPUT_TOKENS],
  };
  // Embeddings input is text, but its histogram carries no modality to split by.
  const lacks = (metric) => (metric.startsWith(EMBEDDINGS_INPUT_TOKENS) ? [MODALITY] : []);
  const typeMatcher =
    types.length === 1 ? `gen_ai_token_type="${types[0]}"` : `gen_ai_token_type=~"${types.join('|')}"`;
  return [
    { metric: `${TOKENS}_sum`, matchers: [typeMatcher] },
    ...types.flatMap((type) =>
      latest[type].map((metric) => ({ metric, sets: { gen_ai_token_type: type }, lacks: lacks(metric) })),
    ),
  ];
}

/** Tokens of `types` per second, by `by`, over the names of every mode. */
function tokenRate(select, types, by = [], ...matchers) {
  return rateInEveryMode(select, tokenParts(types), by, ...matchers);
}

// ---------------------------------------------------------------------------------------------
// The dashboards, as data. A panel: { title, description, unit, targets: [{ expr, legend }] } and,
// optionally, type ('timeseries' | 'stat'), width (of 24), stack, min, max, threshold (a red line).

const o = selectorWith(['job', 'instance']);

const overview = {
  variables: ['job', 'service_name', 'instance'],
  file: 'overview.json',
  uid: 'voice-agent-overview',
  title: 'Voice agent / Overview',
  description:
    'HTTP traffic, database and Node.js runtime of the voice agent service (voice_agent_* series).',
  rows: [
    {
      title: 'Service',
      panels: [
        {
          type: 'stat',
          width: 6,
          title: 'Requests per second',
          unit: 'reqps',
          targets: [{ expr: rate(o, `${HTTP}_count`), legend: 'requests/s' }],
        },
        {
          type: 'stat',
          width: 6,
          title: 'Success ratio (not 5xx)',
          unit: 'percentunit',
          targets: [
            {
              expr: `${rate(o, `${HTTP}_count`, [], 'http_response_status_code!~"5.."')} / ${rate(o, `${HTTP}_count`)}`,
              legend: 'success',
            },
          ],
        },
        {
          type: 'stat',
          width: 6,
          title: 'p95 latency',
          unit: 's',
          targets: [{ expr: quantile(o, 0.95, HTTP), legend: 'p95' }],
        },
        {
          type: 'stat',
          width: 6,
          title: 'Instances by service',
          description: 'Processes reporting, from the target_info series of each scrape.',
          unit: 'short',
          targets: [{ expr: `count by (service_name) (${o('target_info')})`, legend: '{{service_name}}' }],
        },
      ],
    },
    {
      title: 'HTTP server',
      panels: [
        {
          title: 'Requests per second by status',
          unit: 'reqps',
          stack: true,
          targets: [
            {
              expr: rate(o, `${HTTP}_count`, ['http_response_status_code']),
              legend: '{{http_response_status_code}}',
            },
          ],
        },
        {
          title: 'Success ratio',
          description:
            'Share of requests not answered with a 5xx status. The VoiceAgentHTTPErrorRatioHigh alert fires below 95%.',
          unit: 'percentunit',
          min: 0,
          max: 1,
          targets: [
            {
              expr: `${rate(o, `${HTTP}_count`, ['job'], 'http_response_status_code!~"5.."')} / ${rate(o, `${HTTP}_count`, ['job'])}`,
              legend: '{{job}}',
            },
          ],
        },
        {
          title: 'Latency quantiles',
          unit: 's',
          targets: [
            { expr: quantile(o, 0.5, HTTP), legend: 'p50' },
            { expr: quantile(o, 0.95, HTTP), legend: 'p95' },
            { expr: quantile(o, 0.99, HTTP), legend: 'p99' },
          ],
        },
        {
          title: 'Requests per second by route',
          description: 'http_route is set by Express and Fastify; plain node:http servers have none.',
          unit: 'reqps',
          targets: [{ expr: rate(o, `${HTTP}_count`, ['http_route']), legend: '{{http_route}}' }],
        },
        {
          title: 'p95 latency by route',
          unit: 's',
          threshold: 1,
          targets: [{ expr: quantile(o, 0.95, HTTP, ['http_route']), legend: '{{http_route}}' }],
        },
        {
          title: 'p99 latency by route',
          unit: 's',
          targets: [{ expr: quantile(o, 0.99, HTTP, ['http_route']), legend: '{{http_route}}' }],
        },
        {
          title: 'In-flight requests',
          unit: 'short',
          targets: [
            {
              expr: `sum by (http_request_method) (${o('voice_agent_http_server_active_requests')})`,
              legend: '{{http_request_method}}',
            },
          ],
        },
        {
          title: 'Outbound HTTP p95 by host',
          description: 'Requests this service makes (node:http, fetch), until the response headers arrive.',
          unit: 's',
          targets: [
            { expr: quantile(o, 0.95, HTTP_CLIENT, ['server_address']), legend: '{{server_address}}' },
          ],
        },
      ],
    },
    {
      title: 'Database',
      panels: [
        {
          title: 'Query latency quantiles',
          unit: 's',
          targets: [
            { expr: quantile(o, 0.5, DB), legend: 'p50' },
            { expr: quantile(o, 0.95, DB), legend: 'p95' },
            { expr: quantile(o, 0.99, DB), legend: 'p99' },
          ],
        },
        {
          title: 'Query p95 by operation',
          unit: 's',
          targets: [{ expr: quantile(o, 0.95, DB, ['db_operation_name']), legend: '{{db_operation_name}}' }],
        },
        {
          title: 'Queries per second by operation and error',
          description: 'Failed queries carry error_type; successful ones have none.',
          unit: 'ops',
          stack: true,
          targets: [
            {
              expr: rate(o, `${DB}_count`, ['db_operation_name', 'error_type']),
              legend: '{{db_operation_name}} {{error_type}}',
            },
          ],
        },
        {
          title: 'Pool connections',
          unit: 'short',
          targets: [
            {
              expr: `sum by (db_client_connection_pool_name, db_client_connection_state) (${o('voice_agent_db_client_connections_usage')})`,
              legend: '{{db_client_connection_pool_name}} {{db_client_connection_state}}',
            },
            {
              expr: `sum by (db_client_connection_pool_name) (${o('voice_agent_db_client_connection_max')})`,
              legend: '{{db_client_connection_pool_name}} max',
            },
            {
              expr: `sum by (db_client_connection_pool_name) (${o('voice_agent_db_client_connection_pending_requests')})`,
              legend: '{{db_client_connection_pool_name}} waiting',
            },
          ],
        },
      ],
    },
    {
      title: 'Node.js runtime',
      panels: [
        {
          title: 'Event loop delay',
          unit: 's',
          targets: [
            {
              expr: `max by (instance) (${o('voice_agent_nodejs_eventloop_delay_p50_seconds')})`,
              legend: '{{instance}} p50',
            },
            {
              expr: `max by (instance) (${o('voice_agent_nodejs_eventloop_delay_p99_seconds')})`,
              legend: '{{instance}} p99',
            },
            {
              expr: `max by (instance) (${o('voice_agent_nodejs_eventloop_delay_max_seconds')})`,
              legend: '{{instance}} max',
            },
          ],
        },
        {
          title: 'Event loop utilization',
          unit: 'percentunit',
          min: 0,
          max: 1,
          targets: [
            {
              expr: `max by (instance) (${o('voice_agent_nodejs_eventloop_utilization_ratio')})`,
              legend: '{{instance}}',
            },
          ],
        },
        {
          title: 'CPU (cores) by mode',
          unit: 'short',
          stack: true,
          targets: [
            {
              expr: rate(o, 'voice_agent_process_cpu_time_seconds_total', ['instance', 'cpu_mode']),
              legend: '{{instance}} {{cpu_mode}}',
            },
          ],
        },
        {
          title: 'Memory',
          unit: 'bytes',
          targets: [
            {
              expr: `sum by (instance) (${o('voice_agent_process_memory_usage_bytes')})`,
              legend: '{{instance}} resident',
            },
            {
              expr: `sum by (instance) (${o('voice_agent_v8js_memory_heap_space_size_bytes')})`,
              legend: '{{instance}} heap reserved',
            },
            {
              expr: `sum by (instance) (${o('voice_agent_v8js_memory_heap_used_bytes')})`,
              legend: '{{instance}} heap used',
            },
          ],
        },
        {
          title: 'Time in GC pauses by kind',
          description: 'Share of wall-clock time spent in garbage-collection pauses.',
          unit: 'percentunit',
          stack: true,
          targets: [
            {
              expr: rate(o, 'voice_agent_v8js_gc_duration_seconds_sum', ['v8js_gc_type']),
              legend: '{{v8js_gc_type}}',
            },
          ],
        },
        {
          title: 'Active resources by type',
          unit: 'short',
          targets: [
            {
              expr: `sum by (v8js_resource_type) (${o('voice_agent_v8js_resource_active')})`,
              legend: '{{v8js_resource_type}}',
            },
          ],
        },
      ],
    },
  ],
};

const a = selectorWith(['job', 'instance', 'agent']);

const agent = {
  variables: ['job', 'service_name', 'instance', 'agent'],
  file: 'agent.json',
  uid: 'voice-agent-agent',
  title: 'Voice agent / Agents and voice turns',
  description:
    'Voice turns (what the user feels), agent invocations, graph nodes and tools (voice_agent_* series).',
  rows: [
    {
      title: 'Voice turns',
      panels: [
        {
          title: 'Turn response latency',
          description:
            'From the end of the user speech to the first audio of the reply. The VoiceAgentTurnLatencySLO alert fires when p95 stays above 1.5 s.',
          unit: 's',
          threshold: 1.5,
          targets: [
            { expr: quantile(a, 0.95, TURN, ['gen_ai_agent_name']), legend: '{{gen_ai_agent_name}} p95' },
            { expr: quantile(a, 0.5, TURN, ['gen_ai_agent_name']), legend: '{{gen_ai_agent_name}} p50' },
          ],
        },
        {
          title: 'Where the time goes: mean per stage',
          description: 'Stacked, the stage means add up to the mean response latency.',
          unit: 's',
          stack: true,
          targets: [
            {
              expr: mean(a, 'voice_agent_voice_stage_duration_seconds', ['voice_stage']),
              legend: '{{voice_stage}}',
            },
          ],
        },
        {
          title: 'Turns per second by end reason',
          unit: 'short',
          stack: true,
          width: 8,
          targets: [
            {
              expr: rate(a, TURNS, ['voice_turn_end_reason']),
              legend: '{{voice_turn_end_reason}}',
            },
          ],
        },
        {
          title: 'Interruptions per second',
          description: 'Times the user barged in while the agent was speaking or about to.',
          unit: 'short',
          width: 8,
          targets: [
            {
              expr: rate(a, 'voice_agent_voice_turn_interruptions_total', ['gen_ai_agent_name']),
              legend: '{{gen_ai_agent_name}}',
            },
          ],
        },
        {
          title: 'Interruptions per turn',
          unit: 'percentunit',
          width: 8,
          targets: [
            {
              expr: `${rate(a, 'voice_agent_voice_turn_interruptions_total', ['gen_ai_agent_name'])} / ${rate(a, TURNS, ['gen_ai_agent_name'])}`,
              legend: '{{gen_ai_agent_name}}',
            },
          ],
        },
        {
          title: 'Active sessions',
          unit: 'short',
          width: 8,
          targets: [
            {
              expr: `sum by (gen_ai_agent_name) (${a('voice_agent_voice_session_active')})`,
              legend: '{{gen_ai_agent_name}}',
            },
          ],
        },
        {
          title: 'Abandoned turns',
          description:
            'Turns the app never ended, closed by the tracker. Above zero usually means a code path without turn.end().',
          unit: 'percentunit',
          width: 8,
          threshold: 0.01,
          targets: [
            {
              expr: `${rate(a, TURNS, ['gen_ai_agent_name'], 'voice_turn_end_reason="abandoned"')} / ${rate(a, TURNS, ['gen_ai_agent_name'])}`,
              legend: '{{gen_ai_agent_name}}',
            },
          ],
        },
        {
          title: 'Turns per session (mean)',
          description: 'Recorded when a session ends.',
          unit: 'short',
          width: 8,
          targets: [
            {
              expr: mean(a, 'voice_agent_voice_session_turns', ['gen_ai_agent_name'], '1h'),
              legend: '{{gen_ai_agent_name}}',
            },
          ],
        },
        {
          title: 'LLM tokens per session (mean)',
          description: 'Input and output tokens the app reported on its turns, recorded when a session ends.',
          unit: 'short',
          width: 8,
          targets: [
            {
              expr: mean(a, 'voice_agent_voice_session_tokens', ['gen_ai_agent_name'], '1h'),
              legend: '{{gen_ai_agent_name}}',
            },
          ],
        },
        {
          title: 'Speech to text: audio seconds per second',
          width: 8,
          description: 'The unit most STT vendors bill by.',
          unit: 'short',
          targets: [
            {
              expr: rate(a, 'voice_agent_voice_stt_audio_duration_seconds_total', ['gen_ai_agent_name']),
              legend: '{{gen_ai_agent_name}}',
            },
          ],
        },
        {
          title: 'Text to speech: characters per second',
          width: 8,
          description: 'The unit most TTS vendors bill by.',
          unit: 'short',
          targets: [
            {
              expr: rate(a, 'voice_agent_voice_tts_characters_total', ['gen_ai_agent_name']),
              legend: '{{gen_ai_agent_name}}',
            },
          ],
        },
        {
          title: 'Text to speech: audio seconds per second',
          width: 8,
          description: 'Seconds of speech the agent produced: the other unit TTS vendors bill by.',
          unit: 'short',
          targets: [
            {
              expr: rate(a, 'voice_agent_voice_tts_audio_duration_seconds_total', ['gen_ai_agent_name']),
              legend: '{{gen_ai_agent_name}}',
            },
          ],
        },
      ],
    },
    {
      title: 'Agents',
      panels: [
        {
          title: 'Agent invocations per second',
          unit: 'ops',
          stack: true,
          targets: [
            {
              expr: rate(a, `${AGENT}_count`, ['gen_ai_agent_name', 'error_type']),
              legend: '{{gen_ai_agent_name}} {{error_type}}',
            },
          ],
        },
        {
          title: 'Agent invocation p95',
          unit: 's',
          targets: [
            { expr: quantile(a, 0.95, AGENT, ['gen_ai_agent_name']), legend: '{{gen_ai_agent_name}}' },
          ],
        },
      ],
    },
    {
      title: 'Graph nodes',
      panels: [
        {
          title: 'Node executions per second by node',
          unit: 'ops',
          stack: true,
          targets: [{ expr: rate(a, `${NODE}_count`, ['agent_node_name']), legend: '{{agent_node_name}}' }],
        },
        {
          title: 'Node p95 by node',
          unit: 's',
          targets: [{ expr: quantile(a, 0.95, NODE, ['agent_node_name']), legend: '{{agent_node_name}}' }],
        },
        {
          title: 'Node failures per second',
          unit: 'ops',
          stack: true,
          targets: [
            {
              expr: rate(a, `${NODE}_count`, ['agent_node_name', 'error_type'], 'error_type!=""'),
              legend: '{{agent_node_name}} {{error_type}}',
            },
          ],
        },
        {
          title: 'Mean node time',
          unit: 's',
          targets: [{ expr: mean(a, NODE, ['agent_node_name']), legend: '{{agent_node_name}}' }],
        },
      ],
    },
    {
      title: 'Tools',
      panels: [
        {
          title: 'Tool calls per second by status',
          description: 'status is ok for calls without error_type, else the error_type of the failure.',
          unit: 'ops',
          stack: true,
          targets: [
            {
              expr: `label_replace(label_replace(${rate(a, `${TOOL}_count`, ['gen_ai_tool_name', 'error_type'])}, "status", "$1", "error_type", "(.+)"), "status", "ok", "error_type", "")`,
              legend: '{{gen_ai_tool_name}}: {{status}}',
            },
          ],
        },
        {
          title: 'Tool failure ratio',
          unit: 'percentunit',
          targets: [
            {
              expr: `${rate(a, `${TOOL}_count`, ['gen_ai_tool_name'], 'error_type!=""')} / ${rate(a, `${TOOL}_count`, ['gen_ai_tool_name'])}`,
              legend: '{{gen_ai_tool_name}}',
            },
          ],
        },
        {
          title: 'Tool p95 by tool',
          unit: 's',
          targets: [{ expr: quantile(a, 0.95, TOOL, ['gen_ai_tool_name']), legend: '{{gen_ai_tool_name}}' }],
        },
        {
          title: 'Slowest tools (top 5 by p95)',
          unit: 's',
          targets: [
            {
              expr: `topk(5, ${quantile(a, 0.95, TOOL, ['gen_ai_tool_name'])})`,
              legend: '{{gen_ai_tool_name}}',
            },
          ],
        },
      ],
    },
  ],
};

const l = selectorWith(['job', 'instance', 'provider', 'model']);

const llmCost = {
  variables: ['job', 'service_name', 'instance', 'provider', 'model'],
  file: 'llm-cost.json',
  uid: 'voice-agent-llm-cost',
  title: 'Voice agent / LLM calls and cost',
  description:
    'Tokens, estimated spend, time to first chunk, latency and errors of LLM calls (voice_agent_gen_ai_* series).',
  rows: [
    {
      title: 'Spend',
      panels: [
        {
          type: 'stat',
          width: 6,
          title: 'Spend per hour (at the last 5 minutes pace)',
          unit: 'currencyUSD',
          threshold: 10,
          targets: [{ expr: `${rate(l, COST)} * 3600`, legend: 'USD/h' }],
        },
        {
          type: 'stat',
          width: 6,
          title: 'Spend, last 24 hours',
          unit: 'currencyUSD',
          targets: [{ expr: `sum(increase(${l(COST)}[24h]))`, legend: 'USD' }],
        },
        {
          type: 'stat',
          width: 6,
          title: 'Tokens per second',
          unit: 'short',
          targets: [{ expr: tokenRate(l, ['input', 'output']), legend: 'tokens/s' }],
        },
        {
          type: 'stat',
          width: 6,
          title: 'Cached share of input tokens',
          unit: 'percentunit',
          targets: [
            {
              expr: `${rate(l, CACHED)} / ${tokenRate(l, ['input'])}`,
              legend: 'cached',
            },
          ],
        },
        {
          title: 'Cost per hour by model',
          description:
            'Estimated from the reported tokens and the price table. Models without a price record no cost. The VoiceAgentLLMCostBurnRateHigh alert fires above $10/h.',
          unit: 'currencyUSD',
          stack: true,
          threshold: 10,
          targets: [
            { expr: `${rate(l, COST, ['gen_ai_request_model'])} * 3600`, legend: '{{gen_ai_request_model}}' },
          ],
        },
        {
          title: 'Cost per hour by provider',
          description:
            'Spend per LLM provider (gen_ai.provider.name: openai, anthropic …), estimated from the reported tokens and the price table as above.',
          unit: 'currencyUSD',
          stack: true,
          targets: [
            { expr: `${rate(l, COST, ['gen_ai_provider_name'])} * 3600`, legend: '{{gen_ai_provider_name}}' },
          ],
        },
        {
          title: 'Cumulative cost by model',
          description: 'Since each process started: the counter resets when the service restarts.',
          unit: 'currencyUSD',
          stack: true,
          targets: [
            { expr: `sum by (gen_ai_request_model) (${l(COST)})`, legend: '{{gen_ai_request_model}}' },
          ],
        },
        {
          title: 'Cost per hour by model and token type',
          unit: 'currencyUSD',
          stack: true,
          targets: [
            {
              expr: `${rate(l, COST, ['gen_ai_request_model', 'gen_ai_token_type'])} * 3600`,
              legend: '{{gen_ai_request_model}} {{gen_ai_token_type}}',
            },
          ],
        },
      ],
    },
    {
      title: 'Tokens',
      panels: [
        {
          title: 'Tokens per second by model and type',
          unit: 'short',
          stack: true,
          targets: [
            {
              expr: tokenRate(l, ['input', 'output'], ['gen_ai_request_model', 'gen_ai_token_type']),
              legend: '{{gen_ai_request_model}} {{gen_ai_token_type}}',
            },
          ],
        },
        {
          title: 'Cached share of input tokens by model',
          description: 'Input tokens served from the provider prompt cache, a subset of the input tokens.',
          unit: 'percentunit',
          min: 0,
          max: 1,
          targets: [
            {
              expr: `${rate(l, CACHED, ['gen_ai_request_model'])} / ${tokenRate(l, ['input'], ['gen_ai_request_model'])}`,
              legend: '{{gen_ai_request_model}}',
            },
          ],
        },
        {
          title: 'Reasoning share of output tokens by model',
          unit: 'percentunit',
          min: 0,
          max: 1,
          targets: [
            {
              expr: `${rate(l, REASONING, ['gen_ai_request_model'])} / ${tokenRate(l, ['output'], ['gen_ai_request_model'])}`,
              legend: '{{gen_ai_request_model}}',
            },
          ],
        },
        {
          title: 'Mean tokens per call by model and type',
          description:
            'Reported tokens over the calls that succeeded: failed and canceled calls report no usage.',
          unit: 'short',
          targets: [
            {
              expr: `${tokenRate(l, ['input', 'output'], ['gen_ai_request_model', 'gen_ai_token_type'])} / on (gen_ai_request_model) group_left ${callRate(l, ['gen_ai_request_model'], 'error_type=""')}`,
              legend: '{{gen_ai_request_model}} {{gen_ai_token_type}}',
            },
          ],
        },
      ],
    },
    {
      title: 'Latency and errors',
      panels: [
        {
          title: 'Time to first chunk by model',
          description: 'Streaming calls only. The VoiceAgentLLMTimeToFirstChunkSLO alert fires above 1 s.',
          unit: 's',
          threshold: 1,
          targets: [
            {
              expr: quantileInEveryMode(l, 0.95, LLM_HISTOGRAMS.timeToFirstChunk, ['gen_ai_request_model']),
              legend: '{{gen_ai_request_model}} p95',
            },
            {
              expr: quantileInEveryMode(l, 0.5, LLM_HISTOGRAMS.timeToFirstChunk, ['gen_ai_request_model']),
              legend: '{{gen_ai_request_model}} p50',
            },
          ],
        },
        {
          title: 'LLM call duration p95 by model',
          description: 'To the end of the stream for streamed calls. Canceled calls are left out.',
          unit: 's',
          threshold: 10,
          targets: [
            {
              expr: quantileInEveryMode(
                l,
                0.95,
                LLM_HISTOGRAMS.duration,
                ['gen_ai_request_model'],
                'error_type!="canceled"',
              ),
              legend: '{{gen_ai_request_model}}',
            },
          ],
        },
        {
          title: 'Time per output chunk p95 by model',
          unit: 's',
          targets: [
            {
              expr: quantileInEveryMode(l, 0.95, LLM_HISTOGRAMS.timePerOutputChunk, ['gen_ai_request_model']),
              legend: '{{gen_ai_request_model}}',
            },
          ],
        },
        {
          title: 'LLM calls per second by operation and model',
          unit: 'ops',
          stack: true,
          targets: [
            {
              expr: callRate(l, ['gen_ai_operation_name', 'gen_ai_request_model']),
              legend: '{{gen_ai_operation_name}} {{gen_ai_request_model}}',
            },
          ],
        },
        {
          title: 'LLM errors per second by error_type',
          description:
            'canceled is the caller aborting (a barge-in), not a failure: it is shown here but left out of the error ratio.',
          unit: 'ops',
          stack: true,
          targets: [
            {
              expr: callRate(l, ['error_type'], 'error_type!=""'),
              legend: '{{error_type}}',
            },
          ],
        },
        {
          title: 'LLM error ratio by model (canceled left out)',
          description: 'The VoiceAgentLLMErrorRatioHigh alert fires above 5%.',
          unit: 'percentunit',
          threshold: 0.05,
          targets: [
            {
              expr: `${callRate(l, ['gen_ai_request_model'], 'error_type!=""', 'error_type!="canceled"')} / ${callRate(l, ['gen_ai_request_model'], 'error_type!="canceled"')}`,
              legend: '{{gen_ai_request_model}}',
            },
          ],
        },
      ],
    },
  ],
};

// Speech-to-speech agents (the Realtime API) beside pipeline ones. Its own dashboard, not a row of the
// agent one: an `openai` Realtime socket names no agent, so its voice and GenAI series carry no
// gen_ai_agent_name, and under that dashboard's agent variable every choice but All would hide them.
// A speech-to-speech turn has its own stages (response_created, first_audio) and its model calls their
// own operation (realtime_inference): that is what tells the two kinds apart on the same series.
// The overview's filters (job, instance): no agent, provider or model variable, see above.
const REALTIME = 'gen_ai_operation_name="realtime_inference"';
const S2S_STAGES = 'voice_stage=~"response_created|first_audio"';

const speechToSpeech = {
  variables: ['job', 'service_name', 'instance'],
  file: 'speech-to-speech.json',
  uid: 'voice-agent-speech-to-speech',
  title: 'Voice agent / Speech-to-speech (Realtime API)',
  description:
    'Speech-to-speech turns over the OpenAI Realtime API beside pipeline turns: stages, audio and text tokens, spend by modality, rate limits and errors (voice_agent_* series).',
  rows: [
    {
      title: 'Speech-to-speech turns',
      panels: [
        {
          title: 'Speech-to-speech stages p50 / p95',
          description:
            'End of the user speech (server VAD) to response.created, then to the first audio delta: the two stages add up to a speech-to-speech turn response latency. Pipeline turns have stages of their own (agent dashboard).',
          unit: 's',
          targets: [
            { expr: quantile(o, 0.95, STAGE, ['voice_stage'], S2S_STAGES), legend: '{{voice_stage}} p95' },
            { expr: quantile(o, 0.5, STAGE, ['voice_stage'], S2S_STAGES), legend: '{{voice_stage}} p50' },
          ],
        },
        {
          title: 'Time to first chunk p50 / p95: speech-to-speech vs pipeline LLM',
          description:
            'realtime_inference: response.created to the first audio or text delta of a Realtime response. chat: the pipeline LLM call to its first streamed chunk (speech synthesis then still has to start).',
          unit: 's',
          targets: [
            {
              expr: quantileInEveryMode(
                o,
                0.95,
                LLM_HISTOGRAMS.timeToFirstChunk,
                ['gen_ai_operation_name'],
                'gen_ai_operation_name=~"realtime_inference|chat"',
              ),
              legend: '{{gen_ai_operation_name}} p95',
            },
            {
              expr: quantileInEveryMode(
                o,
                0.5,
                LLM_HISTOGRAMS.timeToFirstChunk,
                ['gen_ai_operation_name'],
                'gen_ai_operation_name=~"realtime_inference|chat"',
              ),
              legend: '{{gen_ai_operation_name}} p50',
            },
          ],
        },
        {
          title: 'Speech-to-speech share of turns',
          description:
            'Turns that reached the first audio of their reply: those with a first_audio stage (speech-to-speech) over all turns with a response latency.',
          unit: 'percentunit',
          width: 8,
          min: 0,
          max: 1,
          targets: [
            {
              expr: `${rate(o, `${STAGE}_count`, [], 'voice_stage="first_audio"')} / ${rate(o, `${TURN}_count`)}`,
              legend: 'speech-to-speech',
            },
          ],
        },
        {
          title: 'Turns per second by end reason (both kinds)',
          description:
            'Speech-to-speech turns end completed, interrupted (barge-in), error (failed response or error event) or abandoned (socket closed mid-turn), like pipeline turns, on the same series.',
          unit: 'short',
          stack: true,
          width: 8,
          targets: [{ expr: rate(o, TURNS, ['voice_turn_end_reason']), legend: '{{voice_turn_end_reason}}' }],
        },
        {
          title: 'Realtime responses per second by model and error_type',
          description: 'Every response.done; failed responses carry the error code.',
          unit: 'ops',
          stack: true,
          width: 8,
          targets: [
            {
              expr: callRate(o, ['gen_ai_request_model', 'error_type'], REALTIME),
              legend: '{{gen_ai_request_model}} {{error_type}}',
            },
          ],
        },
      ],
    },
    {
      title: 'Audio and text: tokens and spend',
      panels: [
        {
          title: 'Realtime tokens per second by type and modality',
          description:
            'As response.done usage reports them; the modalities of a token type add up to its total.',
          unit: 'short',
          stack: true,
          targets: [
            {
              expr: tokenRate(
                o,
                ['input', 'output'],
                ['gen_ai_token_type', 'gen_ai_token_modality'],
                REALTIME,
              ),
              legend: '{{gen_ai_token_type}} {{gen_ai_token_modality}}',
            },
          ],
        },
        {
          title: 'Realtime spend per hour by modality',
          description: 'Estimated from the tokens and the text, audio and cached prices of the price table.',
          unit: 'currencyUSD',
          stack: true,
          targets: [
            {
              expr: `${rate(o, COST, ['gen_ai_token_modality', 'gen_ai_token_type'], REALTIME)} * 3600`,
              legend: '{{gen_ai_token_modality}} {{gen_ai_token_type}}',
            },
          ],
        },
        {
          title: 'Cached share of Realtime input by modality',
          description:
            'A session re-reads its conversation on every response; the cached prefix is billed at the cached price.',
          unit: 'percentunit',
          min: 0,
          max: 1,
          targets: [
            {
              expr: `${rate(o, CACHED, ['gen_ai_token_modality'], REALTIME)} / ${tokenRate(o, ['input'], ['gen_ai_token_modality'], REALTIME)}`,
              legend: '{{gen_ai_token_modality}}',
            },
          ],
        },
      ],
    },
    {
      title: 'Rate limits and errors',
      panels: [
        {
          title: 'Rate-limit remaining share',
          description:
            'Remaining over limit, from the latest rate_limits.updated. The VoiceAgentRealtimeRateLimitLow alert fires below 10% for 5 minutes.',
          unit: 'percentunit',
          min: 0,
          max: 1,
          threshold: 0.1,
          targets: [
            {
              expr: `min by (gen_ai_request_model, gen_ai_rate_limit_name) (${o(RATE_LIMIT_REMAINING)} / ${o(RATE_LIMIT_LIMIT)})`,
              legend: '{{gen_ai_request_model}} {{gen_ai_rate_limit_name}}',
            },
          ],
        },
        {
          title: 'Realtime error events per second by error_type',
          description:
            'error events of Realtime sessions by their code. The VoiceAgentRealtimeErrorRatioHigh alert fires above 5 per 100 responses.',
          unit: 'ops',
          stack: true,
          targets: [{ expr: rate(o, REALTIME_ERRORS, ['error_type']), legend: '{{error_type}}' }],
        },
      ],
    },
  ],
};

export const DASHBOARDS = [overview, agent, llmCost, speechToSpeech];

// ---------------------------------------------------------------------------------------------
// Rendering to Grafana's dashboard JSON model (schemaVersion 39: Grafana 11.0 and later; docker-compose.yml runs 11.6).

const PANEL_HEIGHT = { timeseries: 8, stat: 4 };

function timeseriesPanel(panel) {
  return {
    fieldConfig: {
      defaults: {
        color: { mode: 'palette-classic' },
        custom: {
          drawStyle: 'line',
          fillOpacity: panel.stack ? 40 : 10,
          lineWidth: 1,
          showPoints: 'never',
          spanNulls: false,
          stacking: { group: 'A', mode: panel.stack ? 'normal' : 'none' },
          thresholdsStyle: { mode: panel.threshold === undefined ? 'off' : 'line' },
        },
        ...limits(panel),
        thresholds: thresholds(panel),
        unit: panel.unit,
      },
      overrides: [],
    },
    options: {
      legend: { calcs: [], displayMode: 'list', placement: 'bottom', showLegend: true },
      tooltip: { mode: 'multi', sort: 'desc' },
    },
  };
}

function statPanel(panel) {
  return {
    fieldConfig: {
      defaults: {
        color: { mode: panel.threshold === undefined ? 'fixed' : 'thresholds', fixedColor: 'blue' },
        ...limits(panel),
        thresholds: thresholds(panel),
        unit: panel.unit,
      },
      overrides: [],
    },
    options: {
      colorMode: 'value',
      graphMode: 'area',
      justifyMode: 'auto',
      orientation: 'auto',
      reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
      textMode: 'auto',
    },
  };
}

function limits(panel) {
  const result = {};
  if (panel.min !== undefined) result.min = panel.min;
  if (panel.max !== undefined) result.max = panel.max;
  return result;
}

function thresholds(panel) {
  const steps = [{ color: 'green', value: null }];
  if (panel.threshold !== undefined) steps.push({ color: 'red', value: panel.threshold });
  return { mode: 'absolute', steps };
}

/** A multi-select query variable with an All option, All selected. */
function queryVariable(name) {
  const { label, query, allValue } = VARIABLES[name];
  return {
    ...(allValue === undefined ? {} : { allValue }),
    current: { selected: true, text: ['All'], value: ['$__all'] },
    datasource: DATASOURCE,
    definition: query,
    hide: 0,
    includeAll: true,
    label,
    multi: true,
    name,
    options: [],
    query: { query, refId: 'PrometheusVariableQueryEditor-VariableQuery' },
    // on time range change: a service that stopped an hour ago leaves the list
    refresh: 2,
    regex: '',
    skipUrlSync: false,
    sort: 1,
    type: 'query',
  };
}

/** The dashboard JSON of one dashboard definition. */
export function buildDashboard(definition) {
  const panels = [];
  let id = 0;
  let y = 0;
  for (const row of definition.rows) {
    panels.push({
      collapsed: false,
      gridPos: { h: 1, w: 24, x: 0, y },
      id: ++id,
      panels: [],
      title: row.title,
      type: 'row',
    });
    y += 1;
    let x = 0;
    let rowHeight = 0;
    for (const panel of row.panels) {
      const type = panel.type ?? 'timeseries';
      const w = panel.width ?? 12;
      const h = PANEL_HEIGHT[type];
      if (x + w > 24) {
        x = 0;
        y += rowHeight;
        rowHeight = 0;
      }
      const body = type === 'stat' ? statPanel(panel) : timeseriesPanel(panel);
      panels.push({
        datasource: DATASOURCE,
        ...(panel.description === undefined ? {} : { description: panel.description }),
        fieldConfig: body.fieldConfig,
        gridPos: { h, w, x, y },
        id: ++id,
        options: body.options,
        targets: panel.targets.map((target, index) => ({
          datasource: DATASOURCE,
          editorMode: 'code',
          expr: target.expr,
          legendFormat: target.legend,
          range: true,
          refId: String.fromCharCode(65 + index),
        })),
        title: panel.title,
        type,
      });
      x += w;
      rowHeight = Math.max(rowHeight, h);
    }
    y += rowHeight;
  }
  return {
    annotations: {
      list: [
        {
          builtIn: 1,
          datasource: { type: 'grafana', uid: '-- Grafana --' },
          enable: true,
          hide: true,
          iconColor: 'rgba(0, 211, 255, 1)',
          name: 'Annotations & Alerts',
          type: 'dashboard',
        },
      ],
    },
    description: definition.description,
    editable: true,
    fiscalYearStartMonth: 0,
    graphTooltip: 1,
    links: [
      {
        asDropdown: false,
        icon: 'external link',
        includeVars: true,
        keepTime: true,
        tags: ['voice-agent'],
        title: 'Voice agent',
        type: 'dashboards',
      },
    ],
    panels,
    refresh: '30s',
    schemaVersion: 39,
    tags: ['voice-agent'],
    templating: {
      list: [
        {
          current: {},
          hide: 0,
          includeAll: false,
          label: 'Prometheus',
          multi: false,
          name: 'datasource',
          options: [],
          query: 'prometheus',
          refresh: 1,
          regex: '',
          skipUrlSync: false,
          type: 'datasource',
        },
        ...definition.variables.map(queryVariable),
      ],
    },
    time: { from: 'now-1h', to: 'now' },
    timepicker: {},
    timezone: '',
    title: definition.title,
    uid: definition.uid,
    version: 1,
  };
}

// ---------------------------------------------------------------------------------------------
// JSON text laid out as Biome formats it (biome.json: 2 spaces, 110 columns): objects one key a
// line, arrays of scalars on one line when they fit. `biome check grafana` then finds nothing to change.

const LINE_WIDTH = 110;

function isFlat(value) {
  if (value === null || typeof value !== 'object') return true;
  return Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;
}

function format(value, indent, prefixLength) {
  if (isFlat(value)) return JSON.stringify(value);
  const inner = ' '.repeat(indent + 2);
  if (Array.isArray(value)) {
    if (value.every(isFlat)) {
      const line = `[${value.map((item) => JSON.stringify(item)).join(', ')}]`;
      // the line ends with "," when more follows; count it, as the formatter does
      if (prefixLength + line.length + 1 <= LINE_WIDTH) return line;
    }
    const items = value.map((item) => inner + format(item, indent + 2, inner.length));
    return `[\n${items.join(',\n')}\n${' '.repeat(indent)}]`;
  }
  const entries = Object.entries(value).map(([key, item]) => {
    const head = `${inner}${JSON.stringify(key)}: `;
    return head + format(item, indent + 2, head.length);
  });
  return `{\n${entries.join(',\n')}\n${' '.repeat(indent)}}`;
}

/** The file name and text of every dashboard, as committed in grafana/dashboards/. */
export function renderDashboards() {
  return DASHBOARDS.map((definition) => ({
    file: definition.file,
    text: `${format(buildDashboard(definition), 0, 0)}\n`,
  }));
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const { file, text } of renderDashboards()) {
    writeFileSync(new URL(`dashboards/${file}`, import.meta.url), text);
    console.log(`wrote grafana/dashboards/${file}`);
  }
}
