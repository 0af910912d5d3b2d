import { describe, expect, it } from 'vitest';
import {
  escapeHelp,
  escapeLabelValue,
  formatValue,
  prometheusMetricName,
  prometheusUnit,
  sanitizeLabelName,
  sanitizeMetricName,
} from '../src/naming.js';

describe('prometheusMetricName', () => {
  it.each([
    // The names DESIGN.md promises.
    ['http.server.request.duration', 's', 'histogram', 'voice_agent_http_server_request_duration_seconds'],
    ['http.server.active_requests', '{request}', 'gauge', 'voice_agent_http_server_active_requests'],
    ['gen_ai.client.token.usage', '{token}', 'histogram', 'voice_agent_gen_ai_client_token_usage'],
    [
      'gen_ai.client.operation.time_to_first_chunk',
      's',
      'histogram',
      'voice_agent_gen_ai_client_operation_time_to_first_chunk_seconds',
    ],
    ['gen_ai.client.cost.usd', '{USD}', 'counter', 'voice_agent_gen_ai_client_cost_usd_total'],
    ['voice.turn.interruptions', '', 'counter', 'voice_agent_voice_turn_interruptions_total'],
    ['voice.session.active', '', 'gauge', 'voice_agent_voice_session_active'],
  ] as const)('%s [%s] %s → %s', (name, unit, type, expected) => {
    expect(prometheusMetricName({ name, unit, type }, 'voice_agent')).toBe(expected);
  });

  it('adds _total to counters after the unit, never twice', () => {
    expect(prometheusMetricName({ name: 'cpu.time', unit: 's', type: 'counter' })).toBe(
      'cpu_time_seconds_total',
    );
    expect(prometheusMetricName({ name: 'requests_total', unit: '', type: 'counter' })).toBe(
      'requests_total',
    );
    expect(prometheusMetricName({ name: 'requests.total', unit: '1', type: 'counter' })).toBe(
      'requests_total',
    );
    expect(prometheusMetricName({ name: 'requests', unit: '', type: 'gauge' })).toBe('requests');
    expect(prometheusMetricName({ name: 'latency', unit: 's', type: 'histogram' })).toBe('latency_seconds');
  });

  it('does not repeat a unit the name already carries', () => {
    expect(prometheusMetricName({ name: 'request.duration_seconds', unit: 's', type: 'histogram' })).toBe(
      'request_duration_seconds',
    );
    expect(prometheusMetricName({ name: 'memory.bytes.used', unit: 'By', type: 'gauge' })).toBe(
      'memory_bytes_used',
    );
    // As the translator: the main unit's word is looked for among the name's words, the per-unit never.
    expect(prometheusMetricName({ name: 'net.io.bytes_per_second', unit: 'By/s', type: 'gauge' })).toBe(
      'net_io_bytes_per_second_per_second',
    );
    expect(prometheusMetricName({ name: 'cpu.utilization.ratio', unit: '1', type: 'gauge' })).toBe(
      'cpu_utilization_ratio',
    );
    // A word that merely contains the unit is not the unit.
    expect(prometheusMetricName({ name: 'milliseconds_budget', unit: 's', type: 'gauge' })).toBe(
      'milliseconds_budget_seconds',
    );
  });

  it("moves a 'total' word of a counter, and a 'ratio' word of a unit-1 gauge, to the end (the translator)", () => {
    expect(prometheusMetricName({ name: 'total.requests', type: 'counter' })).toBe('requests_total');
    expect(prometheusMetricName({ name: 'requests.total.served', unit: 's', type: 'counter' })).toBe(
      'requests_served_seconds_total',
    );
    expect(prometheusMetricName({ name: 'ratio.of.hits', unit: '1', type: 'gauge' })).toBe('of_hits_ratio');
    // Not a word of its own, or not that type: stays.
    expect(prometheusMetricName({ name: 'subtotal.items', type: 'counter' })).toBe('subtotal_items_total');
    expect(prometheusMetricName({ name: 'total.items', type: 'gauge' })).toBe('total_items');
  });

  it('drops leading, trailing and repeated separators, `_` included (the translator splits on them)', () => {
    expect(prometheusMetricName({ name: '\t system.filesystem.usage  ', unit: 'By', type: 'gauge' })).toBe(
      'system_filesystem_usage_bytes',
    );
    expect(prometheusMetricName({ name: '__private__.count_', type: 'counter' })).toBe('private_count_total');
    expect(prometheusMetricName({ name: 'queue', type: 'gauge' }, '_my__app_')).toBe('my_app_queue');
    expect(prometheusMetricName({ name: '@#$%', type: 'gauge' })).toBe('_');
  });

  it('uses ratio for unit 1 on gauges only', () => {
    expect(prometheusMetricName({ name: 'cpu.utilization', unit: '1', type: 'gauge' })).toBe(
      'cpu_utilization_ratio',
    );
    expect(prometheusMetricName({ name: 'retries', unit: '1', type: 'counter' })).toBe('retries_total');
    expect(prometheusMetricName({ name: 'batch.size', unit: '1', type: 'histogram' })).toBe('batch_size');
  });

  it('sanitizes dots, dashes, other characters, runs of _ and a leading digit', () => {
    expect(prometheusMetricName({ name: 'my-app.queue..depth', type: 'gauge' })).toBe('my_app_queue_depth');
    expect(prometheusMetricName({ name: 'a:b/c d', type: 'gauge' })).toBe('a:b_c_d');
    expect(prometheusMetricName({ name: '2xx.responses', type: 'counter' })).toBe('_2xx_responses_total');
    expect(prometheusMetricName({ name: '2xx.responses', type: 'counter' }, 'voice_agent')).toBe(
      'voice_agent_2xx_responses_total',
    );
    expect(prometheusMetricName({ name: 'trailing.', unit: 's', type: 'gauge' })).toBe('trailing_seconds');
    expect(prometheusMetricName({ name: 'temp', unit: 'Cel', type: 'gauge' }, 'my.app')).toBe(
      'my_app_temp_celsius',
    );
  });
});

describe('prometheusUnit', () => {
  it.each([
    ['s', 'seconds'],
    ['ms', 'milliseconds'],
    ['us', 'microseconds'],
    ['ns', 'nanoseconds'],
    ['min', 'minutes'],
    ['h', 'hours'],
    ['d', 'days'],
    ['By', 'bytes'],
    ['KiBy', 'kibibytes'],
    ['MiBy', 'mebibytes'],
    ['GiBy', 'gibibytes'],
    ['KBy', 'kilobytes'],
    ['MBy', 'megabytes'],
    ['GBy', 'gigabytes'],
    // Outside the translator's tables: kept as written, so both paths agree.
    ['bit', 'bit'],
    ['TiBy', 'tibibytes'],
    ['Hz', 'hertz'],
    ['%', 'percent'],
    ['Cel', 'celsius'],
    ['V', 'volts'],
    ['W', 'watts'],
    ['A', 'amperes'],
    ['J', 'joules'],
    ['m', 'meters'],
    ['By/s', 'bytes_per_second'],
    ['1/s', 'per_second'],
    ['{request}/s', 'per_second'],
    ['{packet}/min', 'per_min'],
    ['{packet}/m', 'per_minute'],
    // An annotation in the main unit drops it, as the translator does.
    ['By{compressed}', ''],
    ['{request}', ''],
    ['{token}', ''],
    ['', ''],
    ['USD', 'USD'],
    ['req/s', 'req_per_second'],
    ['a.b', 'a_b'],
    // Names of Object.prototype members are units like any other, not table lookups that throw.
    ['__proto__', 'proto_'],
    ['toString', 'toString'],
    ['By/constructor', 'bytes_per_constructor'],
  ])('%s → %s', (unit, expected) => {
    expect(prometheusUnit(unit, 'counter')).toBe(expected);
  });

  it('maps 1 to ratio for gauges and to nothing otherwise', () => {
    expect(prometheusUnit('1', 'gauge')).toBe('ratio');
    expect(prometheusUnit('1', 'counter')).toBe('');
    expect(prometheusUnit('1', 'histogram')).toBe('');
    expect(prometheusUnit(undefined, 'gauge')).toBe('');
  });
});

describe('sanitizeMetricName', () => {
  it('keeps valid names and fixes invalid ones', () => {
    expect(sanitizeMetricName('valid_name:sub')).toBe('valid_name:sub');
    expect(sanitizeMetricName('a.b-c__d')).toBe('a_b_c_d');
    expect(sanitizeMetricName('9lives')).toBe('_9lives');
    expect(sanitizeMetricName('naïve')).toBe('na_ve');
  });
});

describe('sanitizeLabelName', () => {
  it.each([
    ['http.request.method', 'http_request_method'],
    ['already_valid', 'already_valid'],
    ['a..b', 'a_b'],
    ['colon:key', 'colon_key'],
    ['2xx', 'key_2xx'],
    ['_private', 'key_private'],
    ['__name__', 'key_name_'],
    ['élan', 'key_lan'],
    ['', 'key_empty'],
    // Labels the exposition writes itself: an attribute must not add them a second time.
    ['le', 'key_le'],
    ['otel.scope.name', 'key_otel_scope_name'],
    ['otel_scope_version', 'key_otel_scope_version'],
    ['level', 'level'],
  ])('%j → %s', (key, expected) => {
    expect(sanitizeLabelName(key)).toBe(expected);
  });
});

describe('escaping', () => {
  it('escapes backslash, double quote and newline in label values, nothing else', () => {
    expect(escapeLabelValue('plain')).toBe('plain');
    expect(escapeLabelValue('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
    expect(escapeLabelValue('tab\there ünïcödé 語')).toBe('tab\there ünïcödé 語');
  });

  it('escapes backslash and newline in HELP, not quotes', () => {
    expect(escapeHelp('say "hi"\\now\nplease')).toBe('say "hi"\\\\now\\nplease');
  });
});

describe('formatValue', () => {
  it.each([
    [0, '0'],
    [-0, '0'],
    [42, '42'],
    [-7, '-7'],
    [0.1, '0.1'],
    [1 / 3, '0.3333333333333333'],
    [1e-7, '1e-7'],
    [2 ** 53, '9007199254740992'],
    [1e21, '1000000000000000000000'],
    [-1.5e22, '-15000000000000000000000'],
    [Number.POSITIVE_INFINITY, '+Inf'],
    [Number.NEGATIVE_INFINITY, '-Inf'],
    [Number.NaN, 'NaN'],
  ])('%s → %s', (value, expected) => {
    expect(formatValue(value)).toBe(expected);
  });
});
