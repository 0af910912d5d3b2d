#!/usr/bin/env node
// Generates the Grafana dashboards of grafana/dashboards/ from the data below: a panel is a title,
// a unit and its PromQL. This script is the source of truth; edit it, then run
// `npm run generate --workspace examples/monitoring` and commit both. A test fails when the
// committed JSON differs from what this script produces.
//
// Every expression uses only the series of docs/metrics.md (prefix `voice_agent_`), `target_info`,
// and the recording rules of rules/recording.yml; test/dashboards.test.mjs checks the names and labels.
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

// Recording rules of rules/recording.yml.
const R = {
  httpQuantile: 'job_http_route:voice_agent_http_server_request_duration_seconds:quantile_rate5m',
  httpRate: 'job_http_route:voice_agent_http_server_request_duration_seconds_count:rate5m',
  llmP95: 'job_gen_ai_request_model:voice_agent_gen_ai_client_operation_duration_seconds:quantile_rate5m',
  ttfcP95:
    'job_gen_ai_request_model:voice_agent_gen_ai_client_operation_time_to_first_chunk_seconds:quantile_rate5m',
  tokenRate: 'job_gen_ai_request_model_gen_ai_token_type:voice_agent_gen_ai_client_token_usage_sum:rate5m',
  costPerHour: 'job_gen_ai_request_model:voice_agent_gen_ai_client_cost_usd:per_hour_rate5m',
  turnP95: 'job_gen_ai_agent_name:voice_agent_voice_turn_response_latency_seconds:quantile_rate5m',
  stageMean: 'job_voice_stage:voice_agent_voice_stage_duration_seconds:mean5m',
  nodeP95: 'job_agent_node_name:voice_agent_agent_node_duration_seconds:quantile_rate5m',
  toolP95: 'job_gen_ai_tool_name:voice_agent_gen_ai_execute_tool_duration_seconds:quantile_rate5m',
};

/** histogram_quantile(q, …) over a 5m rate of a histogram's buckets, by `by` and `le`. */
function quantile(q, histogram, by = [], selector = '') {
  const labels = [...by, 'le'].join(', ');
  return `histogram_quantile(${q}, sum by (${labels}) (rate(${histogram}_bucket${selector}[5m])))`;
}

/** _sum / _count over a 5m rate: the mean of a histogram, by `by`. */
function mean(histogram, by = [], window = '5m') {
  const grouping = by.length > 0 ? ` by (${by.join(', ')})` : '';
  return `sum${grouping} (rate(${histogram}_sum[${window}])) / sum${grouping} (rate(${histogram}_count[${window}]))`;
}

// ---------------------------------------------------------------------------------------------
// The dashboards, as data. A panel: { title, description, unit, targets: [{ expr, legend }] } and,
// optionally, type ('timeseries' | 'stat'), width (of 24), stack, min, max, threshold (a red line).

const overview = {
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
          targets: [{ expr: `sum(rate(${HTTP}_count[5m]))`, legend: 'requests/s' }],
        },
        {
          type: 'stat',
          width: 6,
          title: 'Success ratio (not 5xx)',
          unit: 'percentunit',
          targets: [
            {
              expr: `sum(rate(${HTTP}_count{http_response_status_code!~"5.."}[5m])) / sum(rate(${HTTP}_count[5m]))`,
              legend: 'success',
            },
          ],
        },
        {
          type: 'stat',
          width: 6,
          title: 'p95 latency',
          unit: 's',
          targets: [{ expr: quantile(0.95, HTTP), legend: 'p95' }],
        },
        {
          type: 'stat',
          width: 6,
          title: 'Instances by service',
          description: 'Processes reporting, from the target_info series of each scrape.',
          unit: 'short',
          targets: [{ expr: 'count by (service_name) (target_info)', legend: '{{service_name}}' }],
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
              expr: `sum by (http_response_status_code) (rate(${HTTP}_count[5m]))`,
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
              expr: `sum by (job) (rate(${HTTP}_count{http_response_status_code!~"5.."}[5m])) / sum by (job) (rate(${HTTP}_count[5m]))`,
              legend: '{{job}}',
            },
          ],
        },
        {
          title: 'Latency quantiles',
          unit: 's',
          targets: [
            { expr: quantile(0.5, HTTP), legend: 'p50' },
            { expr: quantile(0.95, HTTP), legend: 'p95' },
            { expr: quantile(0.99, HTTP), legend: 'p99' },
          ],
        },
        {
          title: 'Requests per second by route',
          description: 'http_route is set by Express and Fastify; plain node:http servers have none.',
          unit: 'reqps',
          targets: [{ expr: `sum by (http_route) (${R.httpRate})`, legend: '{{http_route}}' }],
        },
        {
          title: 'p95 latency by route',
          unit: 's',
          threshold: 1,
          targets: [{ expr: `${R.httpQuantile}{quantile="0.95"}`, legend: '{{http_route}}' }],
        },
        {
          title: 'p99 latency by route',
          unit: 's',
          targets: [{ expr: `${R.httpQuantile}{quantile="0.99"}`, legend: '{{http_route}}' }],
        },
        {
          title: 'In-flight requests',
          unit: 'short',
          targets: [
            {
              expr: 'sum by (http_request_method) (voice_agent_http_server_active_requests)',
              legend: '{{http_request_method}}',
            },
          ],
        },
        {
          title: 'Outbound HTTP p95 by host',
          description: 'Requests this service makes (node:http, fetch), until the response headers arrive.',
          unit: 's',
          targets: [{ expr: quantile(0.95, HTTP_CLIENT, ['server_address']), legend: '{{server_address}}' }],
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
            { expr: quantile(0.5, DB), legend: 'p50' },
            { expr: quantile(0.95, DB), legend: 'p95' },
            { expr: quantile(0.99, DB), legend: 'p99' },
          ],
        },
        {
          title: 'Query p95 by operation',
          unit: 's',
          targets: [{ expr: quantile(0.95, DB, ['db_operation_name']), legend: '{{db_operation_name}}' }],
        },
        {
          title: 'Queries per second by operation and error',
          description: 'Failed queries carry error_type; successful ones have none.',
          unit: 'ops',
          stack: true,
          targets: [
            {
              expr: `sum by (db_operation_name, error_type) (rate(${DB}_count[5m]))`,
              legend: '{{db_operation_name}} {{error_type}}',
            },
          ],
        },
        {
          title: 'Pool connections',
          unit: 'short',
          targets: [
            {
              expr: 'sum by (db_client_connection_pool_name, db_client_connection_state) (voice_agent_db_client_connections_usage)',
              legend: '{{db_client_connection_pool_name}} {{db_client_connection_state}}',
            },
            {
              expr: 'sum by (db_client_connection_pool_name) (voice_agent_db_client_connection_max)',
              legend: '{{db_client_connection_pool_name}} max',
            },
            {
              expr: 'sum by (db_client_connection_pool_name) (voice_agent_db_client_connection_pending_requests)',
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
              expr: 'max by (instance) (voice_agent_nodejs_eventloop_delay_p50_seconds)',
              legend: '{{instance}} p50',
            },
            {
              expr: 'max by (instance) (voice_agent_nodejs_eventloop_delay_p99_seconds)',
              legend: '{{instance}} p99',
            },
            {
              expr: 'max by (instance) (voice_agent_nodejs_eventloop_delay_max_seconds)',
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
              expr: 'max by (instance) (voice_agent_nodejs_eventloop_utilization_ratio)',
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
              expr: 'sum by (instance, cpu_mode) (rate(voice_agent_process_cpu_time_seconds_total[5m]))',
              legend: '{{instance}} {{cpu_mode}}',
            },
          ],
        },
        {
          title: 'Memory',
          unit: 'bytes',
          targets: [
            {
              expr: 'sum by (instance) (voice_agent_process_memory_usage_bytes)',
              legend: '{{instance}} resident',
            },
            {
              expr: 'sum by (instance) (voice_agent_v8js_memory_heap_space_size_bytes)',
              legend: '{{instance}} heap reserved',
            },
            {
              expr: 'sum by (instance) (voice_agent_v8js_memory_heap_used_bytes)',
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
              expr: 'sum by (v8js_gc_type) (rate(voice_agent_v8js_gc_duration_seconds_sum[5m]))',
              legend: '{{v8js_gc_type}}',
            },
          ],
        },
        {
          title: 'Active resources by type',
          unit: 'short',
          targets: [
            {
              expr: 'sum by (v8js_resource_type) (voice_agent_v8js_resource_active)',
              legend: '{{v8js_resource_type}}',
            },
          ],
        },
      ],
    },
  ],
};

const agent = {
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
            { expr: `${R.turnP95}{quantile="0.95"}`, legend: '{{gen_ai_agent_name}} p95' },
            { expr: quantile(0.5, TURN, ['gen_ai_agent_name']), legend: '{{gen_ai_agent_name}} p50' },
          ],
        },
        {
          title: 'Where the time goes: mean per stage',
          description: 'Stacked, the stage means add up to the mean response latency.',
          unit: 's',
          stack: true,
          targets: [{ expr: `sum by (voice_stage) (${R.stageMean})`, legend: '{{voice_stage}}' }],
        },
        {
          title: 'Turns per second by end reason',
          unit: 'short',
          stack: true,
          width: 8,
          targets: [
            {
              expr: `sum by (voice_turn_end_reason) (rate(${TURNS}[5m]))`,
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
              expr: 'sum by (gen_ai_agent_name) (rate(voice_agent_voice_turn_interruptions_total[5m]))',
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
              expr: `sum by (gen_ai_agent_name) (rate(voice_agent_voice_turn_interruptions_total[5m])) / sum by (gen_ai_agent_name) (rate(${TURNS}[5m]))`,
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
              expr: 'sum by (gen_ai_agent_name) (voice_agent_voice_session_active)',
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
              expr: `sum by (gen_ai_agent_name) (rate(${TURNS}{voice_turn_end_reason="abandoned"}[5m])) / sum by (gen_ai_agent_name) (rate(${TURNS}[5m]))`,
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
              expr: mean('voice_agent_voice_session_turns', ['gen_ai_agent_name'], '1h'),
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
              expr: mean('voice_agent_voice_session_tokens', ['gen_ai_agent_name'], '1h'),
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
              expr: 'sum by (gen_ai_agent_name) (rate(voice_agent_voice_stt_audio_duration_seconds_total[5m]))',
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
              expr: 'sum by (gen_ai_agent_name) (rate(voice_agent_voice_tts_characters_total[5m]))',
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
              expr: `sum by (gen_ai_agent_name, error_type) (rate(${AGENT}_count[5m]))`,
              legend: '{{gen_ai_agent_name}} {{error_type}}',
            },
          ],
        },
        {
          title: 'Agent invocation p95',
          unit: 's',
          targets: [{ expr: quantile(0.95, AGENT, ['gen_ai_agent_name']), legend: '{{gen_ai_agent_name}}' }],
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
          targets: [
            { expr: `sum by (agent_node_name) (rate(${NODE}_count[5m]))`, legend: '{{agent_node_name}}' },
          ],
        },
        {
          title: 'Node p95 by node',
          unit: 's',
          targets: [{ expr: `${R.nodeP95}{quantile="0.95"}`, legend: '{{agent_node_name}}' }],
        },
        {
          title: 'Node failures per second',
          unit: 'ops',
          stack: true,
          targets: [
            {
              expr: `sum by (agent_node_name, error_type) (rate(${NODE}_count{error_type!=""}[5m]))`,
              legend: '{{agent_node_name}} {{error_type}}',
            },
          ],
        },
        {
          title: 'Mean node time',
          unit: 's',
          targets: [{ expr: mean(NODE, ['agent_node_name']), legend: '{{agent_node_name}}' }],
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
              expr: `label_replace(label_replace(sum by (gen_ai_tool_name, error_type) (rate(${TOOL}_count[5m])), "status", "$1", "error_type", "(.+)"), "status", "ok", "error_type", "")`,
              legend: '{{gen_ai_tool_name}}: {{status}}',
            },
          ],
        },
        {
          title: 'Tool failure ratio',
          unit: 'percentunit',
          targets: [
            {
              expr: `sum by (gen_ai_tool_name) (rate(${TOOL}_count{error_type!=""}[5m])) / sum by (gen_ai_tool_name) (rate(${TOOL}_count[5m]))`,
              legend: '{{gen_ai_tool_name}}',
            },
          ],
        },
        {
          title: 'Tool p95 by tool',
          unit: 's',
          targets: [{ expr: `${R.toolP95}{quantile="0.95"}`, legend: '{{gen_ai_tool_name}}' }],
        },
        {
          title: 'Slowest tools (top 5 by p95)',
          unit: 's',
          targets: [{ expr: `topk(5, ${R.toolP95}{quantile="0.95"})`, legend: '{{gen_ai_tool_name}}' }],
        },
      ],
    },
  ],
};

const llmCost = {
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
          targets: [{ expr: `sum(${R.costPerHour})`, legend: 'USD/h' }],
        },
        {
          type: 'stat',
          width: 6,
          title: 'Spend, last 24 hours',
          unit: 'currencyUSD',
          targets: [{ expr: `sum(increase(${COST}[24h]))`, legend: 'USD' }],
        },
        {
          type: 'stat',
          width: 6,
          title: 'Tokens per second',
          unit: 'short',
          targets: [{ expr: `sum(${R.tokenRate})`, legend: 'tokens/s' }],
        },
        {
          type: 'stat',
          width: 6,
          title: 'Cached share of input tokens',
          unit: 'percentunit',
          targets: [
            {
              expr: `sum(rate(${CACHED}[5m])) / sum(rate(${TOKENS}_sum{gen_ai_token_type="input"}[5m]))`,
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
            { expr: `sum by (gen_ai_request_model) (${R.costPerHour})`, legend: '{{gen_ai_request_model}}' },
          ],
        },
        {
          title: 'Cumulative cost by model',
          description: 'Since each process started: the counter resets when the service restarts.',
          unit: 'currencyUSD',
          stack: true,
          targets: [{ expr: `sum by (gen_ai_request_model) (${COST})`, legend: '{{gen_ai_request_model}}' }],
        },
        {
          title: 'Cost per hour by model and token type',
          unit: 'currencyUSD',
          stack: true,
          targets: [
            {
              expr: `sum by (gen_ai_request_model, gen_ai_token_type) (rate(${COST}[5m])) * 3600`,
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
              expr: R.tokenRate,
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
              expr: `sum by (gen_ai_request_model) (rate(${CACHED}[5m])) / sum by (gen_ai_request_model) (rate(${TOKENS}_sum{gen_ai_token_type="input"}[5m]))`,
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
              expr: `sum by (gen_ai_request_model) (rate(${REASONING}[5m])) / sum by (gen_ai_request_model) (rate(${TOKENS}_sum{gen_ai_token_type="output"}[5m]))`,
              legend: '{{gen_ai_request_model}}',
            },
          ],
        },
        {
          title: 'Mean tokens per call by model and type',
          unit: 'short',
          targets: [
            {
              expr: mean(TOKENS, ['gen_ai_request_model', 'gen_ai_token_type']),
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
            { expr: `${R.ttfcP95}{quantile="0.95"}`, legend: '{{gen_ai_request_model}} p95' },
            { expr: quantile(0.5, TTFC, ['gen_ai_request_model']), legend: '{{gen_ai_request_model}} p50' },
          ],
        },
        {
          title: 'LLM call duration p95 by model',
          description: 'To the end of the stream for streamed calls. Canceled calls are left out.',
          unit: 's',
          threshold: 10,
          targets: [{ expr: `${R.llmP95}{quantile="0.95"}`, legend: '{{gen_ai_request_model}}' }],
        },
        {
          title: 'Time per output chunk p95 by model',
          unit: 's',
          targets: [
            { expr: quantile(0.95, TPOC, ['gen_ai_request_model']), legend: '{{gen_ai_request_model}}' },
          ],
        },
        {
          title: 'LLM calls per second by operation and model',
          unit: 'ops',
          stack: true,
          targets: [
            {
              expr: `sum by (gen_ai_operation_name, gen_ai_request_model) (rate(${LLM}_count[5m]))`,
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
              expr: `sum by (error_type) (rate(${LLM}_count{error_type!=""}[5m]))`,
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
              expr: `sum by (gen_ai_request_model) (rate(${LLM}_count{error_type!="", error_type!="canceled"}[5m])) / sum by (gen_ai_request_model) (rate(${LLM}_count{error_type!="canceled"}[5m]))`,
              legend: '{{gen_ai_request_model}}',
            },
          ],
        },
      ],
    },
  ],
};

export const DASHBOARDS = [overview, agent, llmCost];

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
