// One traffic of LLM calls, written as promtool input series the way the SDK writes it in each mode
// of OTEL_SEMCONV_STABILITY_OPT_IN (docs/metrics.md; @va/instrumentation-genai, histogramsFor and
// recordUsage): `default` today's GenAI names, `latest` (gen_ai_latest_experimental) the 2026 names
// for inference and embeddings calls, audio calls staying on today's, `dup` (gen_ai/dup) both. The
// cost and the cache-read and reasoning counters are written once in every mode; under the 2026
// names a count of no reported modality carries gen_ai_token_modality="unknown".

/** The modes, each written as its own job and instance. */
export const MODES = ['default', 'latest', 'dup'];

const P = 'voice_agent_gen_ai_client_';

/**
 * Calls a minute. `failed` by error_type; `streamed` calls time their first and later chunks; tokens
 * per successful call, split by modality where the provider splits them (Realtime).
 */
const CALLS = [
  {
    operation: 'chat',
    provider: 'openai',
    model: 'gpt-4o-mini',
    ok: 60,
    failed: { 429: 6, canceled: 12 },
    streamed: true,
    tokens: { input: 120, output: 16, cached: 40, reasoning: 4 },
  },
  {
    operation: 'chat',
    provider: 'anthropic',
    model: 'claude-haiku-4-5',
    ok: 30,
    failed: { 529: 2 },
    streamed: true,
    tokens: { input: 300, output: 24, cached: 100 },
  },
  {
    operation: 'embeddings',
    provider: 'openai',
    model: 'text-embedding-3-small',
    ok: 10,
    failed: { 500: 1 },
    tokens: { input: 50 },
  },
  {
    operation: 'transcription',
    provider: 'openai',
    model: 'gpt-4o-mini-transcribe',
    ok: 6,
    failed: {},
    tokens: { input: 30, output: 12 },
  },
  {
    operation: 'realtime_inference',
    provider: 'openai',
    model: 'gpt-realtime',
    ok: 8,
    failed: { server_error: 2 },
    streamed: true,
    tokens: {
      input: { text: 60, audio: 240 },
      output: { text: 20, audio: 160 },
      cached: { text: 30, audio: 120 },
    },
  },
];

/** Which calls each mode writes under the 2026 names, and which under today's. */
function family(operation) {
  if (operation === 'embeddings') return 'embeddings';
  return operation === 'transcription' ? 'other' : 'inference';
}
const writesCurrent = (mode, operation) => mode !== 'latest' || family(operation) === 'other';
const writesLatest = (mode) => mode !== 'default';

function labelText(labels) {
  return `{${Object.entries(labels)
    .map(([name, value]) => `${name}="${value}"`)
    .join(', ')}}`;
}

/**
 * The promtool input series of one mode: `minutes` of the traffic (counters rising by their per-minute
 * value), then with `thenTurnsOnly` the GenAI series gone and only voice turns going on for that many
 * minutes more.
 */
export function trafficSeries(mode, { minutes = 20, thenTurnsOnly = 0 } = {}) {
  const series = [];
  const values = (perMinute) => `0+${perMinute}x${minutes}${thenTurnsOnly > 0 ? ` _x${thenTurnsOnly}` : ''}`;
  const add = (name, labels, perMinute) =>
    series.push({ series: `${name}${labelText(labels)}`, values: values(perMinute) });
  const base = { job: mode, instance: mode };
  series.push({ series: `up${labelText(base)}`, values: `1+0x${minutes + thenTurnsOnly}` });
  series.push({
    series: `voice_agent_voice_turns_total${labelText({ ...base, voice_turn_end_reason: 'completed' })}`,
    values: `0+20x${minutes + thenTurnsOnly}`,
  });

  for (const call of CALLS) {
    const labels = {
      ...base,
      gen_ai_operation_name: call.operation,
      gen_ai_provider_name: call.provider,
      gen_ai_request_model: call.model,
    };
    const kind = family(call.operation);
    const durationFamilies = [
      ...(writesCurrent(mode, call.operation) ? [`${P}operation_duration_seconds`] : []),
      ...(writesLatest(mode) && kind === 'inference' ? [`${P}inference_duration_seconds`] : []),
      ...(writesLatest(mode) && kind === 'embeddings' ? [`${P}embeddings_duration_seconds`] : []),
    ];
    // Half the calls within 0.64 s, the rest within 1.28 s; failed ones within 0.64 s.
    const outcomes = [
      [{}, call.ok],
      ...Object.entries(call.failed).map(([type, n]) => [{ error_type: type }, n]),
    ];
    for (const histogram of durationFamilies)
      for (const [error, n] of outcomes) {
        const fast = error.error_type === undefined ? n / 2 : n;
        add(`${histogram}_bucket`, { ...labels, ...error, le: '0.64' }, fast);
        add(`${histogram}_bucket`, { ...labels, ...error, le: '1.28' }, n);
        add(`${histogram}_bucket`, { ...labels, ...error, le: '+Inf' }, n);
        add(`${histogram}_count`, { ...labels, ...error }, n);
        add(`${histogram}_sum`, { ...labels, ...error }, n * 0.7);
      }

    if (call.streamed) {
      // first chunk within 0.32 s for a quarter of the calls, 0.64 s for the rest; 10 later chunks a call
      const chunks = [
        [
          'operation_time_to_first_chunk_seconds',
          'inference_time_to_first_chunk_seconds',
          call.ok,
          0.32,
          call.ok / 4,
        ],
        [
          'operation_time_per_output_chunk_seconds',
          'inference_time_per_output_chunk_seconds',
          call.ok * 10,
          0.04,
          call.ok * 5,
        ],
      ];
      for (const [current, latest, n, le, within] of chunks) {
        const names = [
          ...(writesCurrent(mode, call.operation) ? [`${P}${current}`] : []),
          ...(writesLatest(mode) ? [`${P}${latest}`] : []),
        ];
        for (const name of names) {
          add(`${name}_bucket`, { ...labels, le: String(le) }, within);
          add(`${name}_bucket`, { ...labels, le: '0.64' }, n);
          add(`${name}_bucket`, { ...labels, le: '+Inf' }, n);
          add(`${name}_count`, labels, n);
          add(`${name}_sum`, labels, n * 0.2);
        }
      }
    }

    // error events of Realtime sessions, one series in every mode
    if (call.operation === 'realtime_inference') {
      const { gen_ai_operation_name, ...session } = labels;
      add(`${P}realtime_errors_total`, { ...session, error_type: 'server_error' }, 1);
    }
    tokenSeries(mode, call, labels, add);
  }
  return series;
}

/** A count's parts: [{ modality, tokens }], modality undefined for a count the provider did not split. */
function parts(count) {
  if (count === undefined) return [];
  if (typeof count === 'number') return [{ modality: undefined, tokens: count }];
  return Object.entries(count).map(([modality, tokens]) => ({ modality, tokens }));
}

function tokenSeries(mode, call, labels, add) {
  const { ok, tokens } = call;
  const failedCalls = Object.values(call.failed).reduce((sum, n) => sum + n, 0);
  const latestModality = (modality) => ({ gen_ai_token_modality: modality ?? 'unknown' });
  const currentModality = (modality) => (modality === undefined ? {} : { gen_ai_token_modality: modality });
  const kind = family(call.operation);

  for (const type of ['input', 'output']) {
    const typeParts = parts(tokens[type]);
    if (mode !== 'latest')
      for (const { modality, tokens: n } of typeParts) {
        const point = { ...labels, gen_ai_token_type: type, ...currentModality(modality) };
        add(`${P}token_usage_sum`, point, ok * n);
        add(`${P}token_usage_count`, point, ok);
      }
    if (!writesLatest(mode) || typeParts.length === 0) continue;
    if (kind === 'embeddings') {
      // no usage counter: the per-call histogram of input tokens
      for (const { tokens: n } of typeParts) {
        add(`${P}embeddings_operation_input_tokens_sum`, labels, ok * n);
        add(`${P}embeddings_operation_input_tokens_count`, labels, ok);
      }
      continue;
    }
    const counter = `${P}inference_usage_${type}_tokens_total`;
    for (const { modality, tokens: n } of typeParts)
      add(counter, { ...labels, ...latestModality(modality) }, ok * n);
    // a failed call adds 0 under `unknown`: for a provider that splits, a series of its own
    if (failedCalls > 0 && typeParts[0].modality !== undefined)
      add(counter, { ...labels, ...latestModality(undefined) }, 0);
    if (kind === 'inference') {
      const total = typeParts.reduce((sum, part) => sum + part.tokens, 0);
      add(`${P}inference_operation_${type}_tokens_sum`, labels, ok * total);
      add(`${P}inference_operation_${type}_tokens_count`, labels, ok);
    }
  }

  // written once in every mode; `unknown` under the 2026 names where not split
  const onceModality = (modality) =>
    mode === 'default' ? currentModality(modality) : latestModality(modality);
  for (const { modality, tokens: n } of parts(tokens.cached))
    add(
      `${P}inference_usage_cache_read_input_tokens_total`,
      { ...labels, ...onceModality(modality) },
      ok * n,
    );
  for (const { modality, tokens: n } of parts(tokens.reasoning))
    add(
      `${P}inference_usage_reasoning_output_tokens_total`,
      { ...labels, ...onceModality(modality) },
      ok * n,
    );
  for (const type of ['input', 'output'])
    for (const { modality, tokens: n } of parts(tokens[type])) {
      const { job, instance, ...call } = labels;
      add(
        `${P}cost_usd_total`,
        { job, instance, ...call, gen_ai_token_type: type, ...currentModality(modality) },
        (ok * n) / 1e6,
      );
    }
}
