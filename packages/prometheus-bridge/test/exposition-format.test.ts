import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FORMAT,
  negotiateFormat,
  OPENMETRICS_CONTENT_TYPE,
  PROMETHEUS_CONTENT_TYPE,
} from '../src/exposition-format.js';

const TEXT = { format: 'prometheus-text', contentType: PROMETHEUS_CONTENT_TYPE };
const OPENMETRICS = { format: 'openmetrics', contentType: OPENMETRICS_CONTENT_TYPE };
const OPENMETRICS_0_0_1 = {
  format: 'openmetrics',
  contentType: 'application/openmetrics-text; version=0.0.1; charset=utf-8',
};

describe('negotiateFormat', () => {
  it('gives Prometheus 2.42 OpenMetrics 1.0.0, with or without native histograms (headers as it sends them)', () => {
    expect(
      negotiateFormat(
        'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
      ),
    ).toEqual(OPENMETRICS);
    // protobuf first: not served (yet), so the next best, OpenMetrics at q=0.8
    expect(
      negotiateFormat(
        'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
      ),
    ).toEqual(OPENMETRICS);
  });

  it('gives text 0.0.4 without an Accept header, to */*, to browsers and to text/plain', () => {
    expect(DEFAULT_FORMAT).toEqual(TEXT);
    expect(negotiateFormat(undefined)).toEqual(TEXT);
    expect(negotiateFormat('')).toEqual(TEXT);
    expect(negotiateFormat('*/*')).toEqual(TEXT);
    expect(negotiateFormat('text/*')).toEqual(TEXT);
    expect(
      negotiateFormat('text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8'),
    ).toEqual(TEXT);
    expect(negotiateFormat('text/plain')).toEqual(TEXT);
    expect(negotiateFormat('text/plain;version=0.0.4')).toEqual(TEXT);
  });

  it('follows q values, then the order of the header among equals', () => {
    expect(negotiateFormat('text/plain;version=0.0.4,application/openmetrics-text;version=1.0.0')).toEqual(
      TEXT,
    );
    expect(
      negotiateFormat('text/plain;version=0.0.4;q=0.5,application/openmetrics-text;version=1.0.0;q=0.6'),
    ).toEqual(OPENMETRICS);
    expect(negotiateFormat('application/openmetrics-text;q=0.2, text/plain;q=0.1')).toEqual(OPENMETRICS);
    // q=0: not acceptable at all
    expect(negotiateFormat('application/openmetrics-text;q=0, text/plain;q=0.1')).toEqual(TEXT);
    expect(negotiateFormat('text/plain;q=0, application/openmetrics-text;q=0.01')).toEqual(OPENMETRICS);
  });

  it('answers OpenMetrics 0.0.1 in its own version, and skips versions it does not write', () => {
    expect(negotiateFormat('application/openmetrics-text;version=0.0.1')).toEqual(OPENMETRICS_0_0_1);
    expect(negotiateFormat('application/openmetrics-text')).toEqual(OPENMETRICS);
    expect(negotiateFormat('application/openmetrics-text;version=2.0.0,text/plain;q=0.1')).toEqual(TEXT);
    expect(negotiateFormat('text/plain;version=1.0.0')).toEqual(TEXT); // nothing we serve: the default
    expect(negotiateFormat('text/plain;version=1.0.0,application/openmetrics-text;q=0.5')).toEqual(
      OPENMETRICS,
    );
  });

  it('reads case-insensitive types and parameter names, spaces and quoted values', () => {
    expect(negotiateFormat('Application/OpenMetrics-Text ; Version="1.0.0" ; Q=0.9')).toEqual(OPENMETRICS);
    expect(negotiateFormat(['text/html', 'application/openmetrics-text'])).toEqual(OPENMETRICS);
  });

  it('never fails: a malformed or unknown header gets the default', () => {
    for (const header of [
      'garbage',
      ';;;',
      ',,,',
      '/',
      'application/',
      '/openmetrics-text',
      '*/openmetrics-text',
      'application/json',
      'application/openmetrics-text;q=2',
      'application/openmetrics-text;q=abc',
      'application/openmetrics-text;q=0.1234',
      'application/openmetrics-text;q=-1',
      '\u0000\uffff',
      `application/openmetrics-text;${'x=y;'.repeat(2000)}`,
    ])
      expect(negotiateFormat(header), header.slice(0, 60)).toEqual(TEXT);
  });
});
