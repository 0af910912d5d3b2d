// The substitution the end-to-end test applies to every dashboard query before sending it to
// Prometheus, checked against what Grafana's Prometheus data source sends.
import { describe, expect, it } from 'vitest';
import {
  ALL,
  formatSelection,
  interpolate,
  parseLabelValues,
  regexEscape,
  resolveVariables,
} from './support/grafana-variables.mjs';

describe('Grafana template variables', () => {
  it('escape regex metacharacters for a PromQL string, backslashes twice', () => {
    expect(regexEscape('127.0.0.1:9464')).toBe('127\\\\.0\\\\.0\\\\.1:9464');
    expect(regexEscape('a\\b')).toBe('a\\\\\\\\b');
    expect(regexEscape('gpt-4o (mini)|x')).toBe('gpt-4o \\\\(mini\\\\)\\\\|x');
  });

  it('turn All into the allValue as is, or into every listed option', () => {
    expect(formatSelection({ allValue: '.*' }, ALL, ['a.b', 'c'])).toBe('.*');
    expect(formatSelection({}, ALL, ['a.b', 'c'])).toBe('(a\\\\.b|c)');
    expect(formatSelection({}, ALL, ['a.b'])).toBe('a\\\\.b');
    expect(formatSelection({ allValue: '.*' }, ['a.b'], ['a.b', 'c'])).toBe('a\\\\.b');
    expect(formatSelection({ allValue: '.*' }, ['a', 'c'], ['a', 'b', 'c'])).toBe('(a|c)');
  });

  // Grafana's two spellings of a variable; `${name}` built so the linter does not take it for a template
  const braced = (name) => '$' + `{${name}}`;

  it('replace $name and the braced form of known variables only', () => {
    const values = new Map([
      ['job', '.*'],
      ['instance', 'x'],
    ]);
    expect(interpolate(`m{job=~"$job", instance=~"${braced('instance')}"}`, values)).toBe(
      'm{job=~".*", instance=~"x"}',
    );
    expect(interpolate('label_replace(v, "s", "$1", "e", "(.+)") + $other', values)).toBe(
      'label_replace(v, "s", "$1", "e", "(.+)") + $other',
    );
  });

  it('read label_values(selector, label)', () => {
    expect(parseLabelValues('label_values(target_info{job=~"$job"}, instance)')).toEqual({
      selector: 'target_info{job=~"$job"}',
      label: 'instance',
    });
    expect(() => parseLabelValues('query_result(up)')).toThrow('not a label_values() query');
  });

  it('resolve variables in order, each query seeing the ones before it', async () => {
    const json = {
      templating: {
        list: [
          { type: 'datasource', name: 'datasource' },
          { type: 'query', name: 'job', allValue: '.*', query: { query: 'label_values(target_info, job)' } },
          {
            type: 'query',
            name: 'instance',
            query: { query: 'label_values(target_info{job=~"$job"}, instance)' },
          },
        ],
      },
    };
    const asked = [];
    const labelValues = async (selector, label) => {
      asked.push([selector, label]);
      return label === 'job' ? ['a', 'b'] : ['h:1', 'h:2'];
    };
    const all = await resolveVariables(json, labelValues);
    expect(asked).toEqual([
      ['target_info', 'job'],
      ['target_info{job=~".*"}', 'instance'],
    ]);
    expect([...all.values]).toEqual([
      ['job', '.*'],
      ['instance', '(h:1|h:2)'],
    ]);
    const one = await resolveVariables(json, labelValues, { job: ['b'] });
    expect(asked.at(-1)).toEqual(['target_info{job=~"b"}', 'instance']);
    expect(one.values.get('job')).toBe('b');
    expect(one.options.get('instance')).toEqual(['h:1', 'h:2']);
  });
});
