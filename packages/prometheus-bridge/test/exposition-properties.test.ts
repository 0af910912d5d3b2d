// Property-based: whatever names, units, descriptions, attributes, scopes and resource an app hands the
// SDK, the exposition the bridge renders is valid text format — promtool parses it, and a real Prometheus
// scrapes it healthy and stores every sample line as its own series — and valid OpenMetrics: the
// reference parser (Python's prometheus_client) reads the same samples, and Prometheus, which asks for
// OpenMetrics, scrapes it healthy too.
//
// Deterministic in CI: a fixed seed (VA_PROPERTY_SEED overrides it to explore) and a fixed number of runs.
// On failure fast-check prints the seed and the path of the failing case to replay it.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Attributes } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import {
  findPrometheus,
  findPromtool,
  type PrometheusServer,
  prometheusRequired,
  promtoolCheckMetrics,
  startPrometheus,
} from '@va/test-metrics/prometheus-server';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusBridge } from '../src/index.js';
import { prometheusMetricName } from '../src/naming.js';
import { readExposition } from './support/exposition-grammar.js';
import { findOpenMetricsParser, parseOpenMetrics } from './support/openmetrics-parser.js';

const SEED = Number(process.env.VA_PROPERTY_SEED ?? 20_251_121);

const promtool = findPromtool();
const prometheusBinary = findPrometheus();
const python = findOpenMetricsParser();
if (python === undefined && prometheusRequired) {
  throw new Error(
    'CI is set but Python with prometheus_client was not found (apt-get install -y python3-prometheus-client)',
  );
}
if ((promtool === undefined || prometheusBinary === undefined) && prometheusRequired) {
  throw new Error(
    'CI is set but prometheus or promtool was not found (apt-get install -y prometheus): these tests must not be skipped in CI.',
  );
}

// Characters the text format escapes, that end lines, that are not UTF-8 on their own (lone surrogates),
// that take two UTF-16 units, or that names replace with `_`.
const AWKWARD_CHARACTERS = [
  '"',
  '\\',
  '\n',
  '\r',
  '\t',
  '\u0000',
  '\u0001',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u2028',
  '\ud800',
  '\udfff',
  '\u{1f600}',
  'é',
  '中',
  '.',
  '-',
  '/',
  ' ',
  '{',
  '}',
  '=',
  ',',
  '#',
  ':',
  '_',
  '0',
  '9',
  'a',
  'Z',
];
const awkwardCharacter = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...AWKWARD_CHARACTERS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);
const shortText = fc.string({ unit: awkwardCharacter, maxLength: 12 });
/** Short awkward text, sometimes empty, sometimes over 10 kB. */
const text = fc.oneof(
  { weight: 8, arbitrary: shortText },
  { weight: 1, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: shortText.map((edge) => `${edge}${'x'.repeat(10_240)}${edge}`) },
);

// Names chosen to collide after sanitization (`a.b`, `a_b`, `a-b`, `a__b`), to start with a digit, or to
// end in a suffix Prometheus gives a meaning to.
const metricName = fc
  .tuple(
    fc.oneof(
      shortText,
      fc.constantFrom('requests', 'a.b', 'a_b', 'a-b', 'a__b', 'A.B', '9lives', '0', '', 'x', 'target_info'),
    ),
    fc.constantFrom('', '', '_total', '.total', '_count', '_sum', '_bucket', '_created', '_info', '_seconds'),
  )
  .map(([base, suffix]) => `${base}${suffix}`);

const unit = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom('s', 'ms', 'By', 'By/s', '1', '1/s', '{request}', '%', '', '{}', '/', 'a/b/c', 'Cel'),
  shortText,
);

// Keys that clash with labels the exposition adds itself (`le`, the scope labels) or that Prometheus
// reserves or attaches (`__name__`, `job`, `instance`).
const attributeKey = fc.oneof(
  shortText,
  fc.constantFrom(
    '',
    'le',
    'quantile',
    'otel_scope_name',
    'otel.scope.name',
    'otel_scope_version',
    '__name__',
    'job',
    'instance',
    'a.b',
    'a_b',
    '9',
  ),
);
const attributeValue = fc.oneof(
  { weight: 6, arbitrary: text },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.array(shortText, { maxLength: 3 }) },
);
const attributes = fc.dictionary(attributeKey, attributeValue, { maxKeys: 4 });

type InstrumentKind = 'counter' | 'upDownCounter' | 'gauge' | 'histogram';

const PROMETHEUS_TYPES = {
  counter: 'counter',
  upDownCounter: 'gauge',
  gauge: 'gauge',
  histogram: 'histogram',
} as const;

interface MetricSpec {
  kind: InstrumentKind;
  name: string;
  unit: string | undefined;
  description: string;
  scope: { name: string; version: string | undefined };
  points: Array<{ attributes: Attributes; value: number }>;
}

const metricSpec: fc.Arbitrary<MetricSpec> = fc.record({
  kind: fc.constantFrom<InstrumentKind>('counter', 'upDownCounter', 'gauge', 'histogram'),
  name: metricName,
  unit,
  description: text,
  scope: fc.record({
    name: fc.oneof(fc.constant('app'), shortText),
    version: fc.option(shortText, { nil: undefined }),
  }),
  // Any double an app might pass, NaN and infinities included: the SDK decides what it keeps.
  points: fc.array(fc.record({ attributes, value: fc.double() }), { minLength: 1, maxLength: 3 }),
});

interface Batch {
  prefix: string;
  resource: Record<string, string>;
  metrics: MetricSpec[];
}

const batch: fc.Arbitrary<Batch> = fc.record({
  // The register always has a prefix (VA_PROMETHEUS_PREFIX, a valid metric name).
  prefix: fc.constantFrom('voice_agent', 'app', 'ns:sub'),
  resource: fc.dictionary(attributeKey, text, { maxKeys: 4 }),
  metrics: fc.array(metricSpec, { minLength: 1, maxLength: 12 }),
});

interface Recorded {
  bridge: PrometheusBridge;
  provider: MeterProvider;
}

/** Records a batch through a real MeterProvider whose reader is the bridge. */
function record(input: Batch): Recorded {
  const bridge = new PrometheusBridge({ preventServerStart: true, prefix: input.prefix });
  const provider = new MeterProvider({ readers: [bridge], resource: resourceFromAttributes(input.resource) });
  for (const spec of input.metrics) {
    const meter = provider.getMeter(spec.scope.name, spec.scope.version);
    const options = { unit: spec.unit, description: spec.description };
    for (const { attributes: pointAttributes, value } of spec.points) {
      if (spec.kind === 'counter') meter.createCounter(spec.name, options).add(value, pointAttributes);
      else if (spec.kind === 'upDownCounter')
        meter.createUpDownCounter(spec.name, options).add(value, pointAttributes);
      else if (spec.kind === 'gauge') meter.createGauge(spec.name, options).record(value, pointAttributes);
      else meter.createHistogram(spec.name, options).record(value, pointAttributes);
    }
  }
  return { bridge, provider };
}

/** How a JavaScript string reaches Prometheus: as UTF-8, lone surrogates becoming U+FFFD. */
function asUtf8(value: string): string {
  return Buffer.from(value, 'utf8').toString('utf8');
}

// promtool's lint findings about names and help the application chose (`fooBar_count` as a gauge, a
// description-less instrument, a `ms` unit): advice to the app's author, not format errors. promtool exits
// 3 for these and 1 for anything it cannot parse.
const NAMING_LINT = [
  'no help text',
  'counter metrics should have "_total" suffix',
  'non-counter metrics should not have "_total" suffix',
  'non-histogram and non-summary metrics should not have "_sum" suffix',
  'non-histogram and non-summary metrics should not have "_count" suffix',
  'non-histogram metrics should not have "_bucket" suffix',
  'non-histogram metrics should not have "le" label',
  'non-summary metrics should not have "quantile" label',
  'metric names should not contain abbreviated units',
  // Colons are valid in names (the spec's and the Collector's sanitizers keep them); Prometheus advises
  // leaving them to recording rules.
  "metric names should not contain ':'",
  "metric names should be written in 'snake_case' not 'camelCase'",
  "label names should be written in 'snake_case' not 'camelCase'",
];
const NAMING_LINT_LINE = /^[a-zA-Z_:][a-zA-Z0-9_:]* (.*)$/;

function isNamingLint(line: string): boolean {
  const message = NAMING_LINT_LINE.exec(line)?.[1];
  if (message === undefined) return false;
  return (
    NAMING_LINT.includes(message) ||
    /^use base unit "[^"]+" instead of "[^"]+"$/.test(message) ||
    /^metric name should not include type '[a-z]+'$/.test(message)
  );
}

/** Everything the exposition must satisfy without a Prometheus server; returns the problems found. */
function problemsOf(input: Batch, exposition: string): string[] {
  const { samples, problems } = readExposition(exposition);
  // Every string attribute value must reach some label intact (escaped, then unescaped), possibly joined
  // with others by `;` when keys collide after sanitization.
  const labelValues = samples.flatMap((sample) => sample.labels.map(([, value]) => value));
  // What the Resource keeps: @opentelemetry/resources leaves out keys such as `toString`.
  const resourceValues = Object.values(resourceFromAttributes(input.resource).attributes);
  // A metric whose Prometheus name or sample names (a histogram's `_count`…) are taken by a metric of
  // another type or family is dropped with a warning, as the spec says; its values are expected nowhere.
  const familyOf = (spec: MetricSpec): string =>
    `${PROMETHEUS_TYPES[spec.kind]} ${prometheusMetricName({ name: spec.name, unit: spec.unit, type: PROMETHEUS_TYPES[spec.kind] }, input.prefix)}`;
  const samplesOf = (spec: MetricSpec): string[] => {
    const [type, name] = familyOf(spec).split(' ');
    // A histogram's own name counts: a gauge of that name is in the same family with another type.
    return type === 'histogram'
      ? [name as string, `${name}_bucket`, `${name}_sum`, `${name}_count`]
      : [name as string];
  };
  const familiesBySample = new Map<string, Set<string>>();
  for (const spec of input.metrics) {
    for (const sample of samplesOf(spec)) {
      familiesBySample.set(sample, (familiesBySample.get(sample) ?? new Set()).add(familyOf(spec)));
    }
  }
  for (const spec of input.metrics) {
    if (samplesOf(spec).some((sample) => (familiesBySample.get(sample)?.size ?? 0) > 1)) continue;
    for (const point of spec.points) {
      for (const value of Object.values(point.attributes)) {
        if (typeof value !== 'string' || value === '' || !Number.isFinite(point.value)) continue;
        // The SDK drops negative values of counters and histograms.
        if ((spec.kind === 'counter' || spec.kind === 'histogram') && point.value < 0) continue;
        const expected = asUtf8(value);
        if (!labelValues.some((label) => label.includes(expected))) {
          problems.push(`attribute value ${JSON.stringify(value).slice(0, 80)} is on no sample`);
        }
      }
    }
  }
  for (const value of resourceValues) {
    if (typeof value !== 'string' || value === '') continue;
    const expected = asUtf8(value);
    if (!labelValues.some((label) => label.includes(expected))) {
      problems.push(`resource value ${JSON.stringify(value).slice(0, 80)} is not on target_info`);
    }
  }
  if (promtool !== undefined) {
    const verdict = promtoolCheckMetrics(promtool, exposition);
    const findings = verdict.output.split('\n').filter((line) => line !== '');
    const unexpected = findings.filter((line) => !isNamingLint(line));
    if (verdict.exitCode !== 0 && verdict.exitCode !== 3) {
      problems.push(`promtool exited ${verdict.exitCode}: ${verdict.output.slice(0, 500)}`);
    } else if (unexpected.length > 0) {
      problems.push(`promtool: ${unexpected.join('; ').slice(0, 500)}`);
    }
  }
  return problems;
}

function sampleLineCount(exposition: string): number {
  return exposition.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
}

describe.skipIf(promtool === undefined)('the exposition of arbitrary names, units and attributes', () => {
  it('is valid text format that promtool parses, every attribute value intact (120 batches)', async () => {
    await fc.assert(
      fc.asyncProperty(batch, async (input) => {
        const { bridge, provider } = record(input);
        try {
          const exposition = await bridge.render();
          expect(problemsOf(input, exposition)).toEqual([]);
        } finally {
          await provider.shutdown();
        }
      }),
      { seed: SEED, numRuns: 120 },
    );
  });
});

/**
 * What the reference parser must read in an OpenMetrics exposition: exactly its sample lines, which are
 * those of the text exposition, but for the families OpenMetrics cannot hold beside another (a gauge
 * `x` or `x_created` beside a counter `x_total`). Label values as Prometheus reads them: UTF-8.
 */
function openMetricsProblems(
  text: string,
  openMetrics: string,
  parsed: ReturnType<typeof parseOpenMetrics>[number],
): string[] {
  if ('error' in parsed) return [`prometheus_client: ${parsed.error.slice(0, 500)}`];
  const key = (name: string, labels: ReadonlyArray<readonly [string, string]>): string =>
    JSON.stringify([name, [...labels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
  const samplesOf = (exposition: string) =>
    readExposition(Buffer.from(exposition, 'utf8').toString('utf8')).samples;
  const written = samplesOf(openMetrics.replace(/# EOF\n$/, ''));
  const writtenKeys = written.map((sample) => key(sample.name, sample.labels)).sort();
  const read = parsed.families
    .flatMap((family) => family.samples)
    .map((sample) => key(sample.name, Object.entries(sample.labels)))
    .sort();
  const problems: string[] = [];
  if (JSON.stringify(read) !== JSON.stringify(writtenKeys))
    problems.push(`prometheus_client read ${read.length} samples, the exposition has ${writtenKeys.length}`);
  // A sample of the text exposition may be missing only when its family would take a name in
  // OpenMetrics that a family written there holds.
  const ownedNames = (name: string, type: string): string[] => {
    if (type === 'histogram')
      return [name, `${name}_bucket`, `${name}_sum`, `${name}_count`, `${name}_created`];
    if (type === 'counter') {
      const family = name.replace(/_total$/, '');
      return [name, family, `${family}_created`];
    }
    return [name];
  };
  const held = new Set<string>();
  for (const [, name, type] of openMetrics.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const family = type === 'counter' ? `${name}_total` : (name as string);
    for (const owned of ownedNames(family, type as string)) held.add(owned);
  }
  const textFamilies = new Map<string, string>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    for (const sample of type === 'histogram' ? ownedNames(name as string, 'histogram') : [name as string])
      textFamilies.set(sample, `${type} ${name}`);
  }
  const writtenSet = new Set(writtenKeys);
  for (const sample of samplesOf(text)) {
    if (writtenSet.has(key(sample.name, sample.labels))) continue;
    const [type = '', family = ''] = (textFamilies.get(sample.name) ?? '').split(' ');
    if (!ownedNames(family, type).some((name) => held.has(name)))
      problems.push(`${sample.name} is in the text exposition, not in the OpenMetrics one`);
  }
  return problems;
}

describe.skipIf(python === undefined)(
  'the OpenMetrics exposition of arbitrary names, units and attributes',
  () => {
    it('is read by prometheus_client sample for sample, as the text format but for families OpenMetrics cannot hold side by side (120 batches)', async () => {
      // Rendered per batch, parsed in one Python process at the end.
      const rendered: Array<{ text: string; openMetrics: string }> = [];
      await fc.assert(
        fc.asyncProperty(batch, async (input) => {
          const { bridge, provider } = record(input);
          try {
            rendered.push({ text: await bridge.render(), openMetrics: await bridge.render('openmetrics') });
          } finally {
            await provider.shutdown();
          }
        }),
        { seed: SEED, numRuns: 120 },
      );
      const parsed = parseOpenMetrics(
        python as string,
        rendered.map(({ openMetrics }) => openMetrics),
      );
      const problems = rendered.flatMap(({ text, openMetrics }, index) =>
        openMetricsProblems(text, openMetrics, parsed[index] as (typeof parsed)[number]).map(
          (problem) => `batch ${index}: ${problem}\n${openMetrics.slice(0, 2000)}`,
        ),
      );
      expect(problems).toEqual([]);
    });
  },
);

describe.skipIf(promtool === undefined || prometheusBinary === undefined)(
  'a real Prometheus scraping the bridge',
  () => {
    const SCRAPE_INTERVAL_MILLIS = 300;
    let prometheus: PrometheusServer;
    let server: Server;
    // The bridge currently served, how many scrapes of it have begun, and whether it is served as text
    // 0.0.4 (Prometheus' Accept header withheld) rather than in the OpenMetrics Prometheus asks for.
    let current: { bridge: PrometheusBridge; scrapes: number; asText: boolean } | undefined;
    let batches = 0;

    beforeAll(async () => {
      server = createServer((request, response) => {
        const serving = current;
        if (serving === undefined) {
          response.writeHead(503).end();
          return;
        }
        serving.scrapes++;
        if (serving.asText) delete request.headers.accept;
        serving.bridge.getMetricsRequestHandler()(request, response);
      });
      await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
      const { port } = server.address() as AddressInfo;
      prometheus = await startPrometheus(prometheusBinary as string, {
        targets: [`127.0.0.1:${port}`],
        job: 'exposition',
        intervalMillis: SCRAPE_INTERVAL_MILLIS,
        timeoutMillis: SCRAPE_INTERVAL_MILLIS,
      });
    });

    afterAll(async () => {
      await prometheus?.stop();
      server?.closeAllConnections();
      await new Promise((closed) => server?.close(closed));
    });

    /** Serves the batch until Prometheus has reported a scrape of it; returns that scrape's target state. */
    async function scrapedBy(bridge: PrometheusBridge): Promise<{
      health: string;
      lastError: string;
      samplesScraped: number;
      seriesStored: number;
    }> {
      // every other batch in each format
      const serving = { bridge, scrapes: 0, asText: batches++ % 2 === 0 };
      current = serving;
      const deadline = Date.now() + 20_000;
      // Prometheus scrapes a target one scrape at a time, reporting each before starting the next: once
      // a second scrape of this batch has begun, the target's state is that of a scrape of this batch.
      while (serving.scrapes < 2) {
        if (Date.now() > deadline) throw new Error('Prometheus did not scrape the bridge twice in 20 s');
        await new Promise((done) => setTimeout(done, 50));
      }
      const [target] = await prometheus.targets();
      if (target === undefined) throw new Error('Prometheus has no active target');
      const at = target.lastScrapeMillis;
      const samplesScraped = await prometheus.query('scrape_samples_scraped', at);
      // Series of the previous batch got staleness markers at this scrape, so only this batch's count.
      const stored = await prometheus.query('count({job="exposition",__name__!~"up|scrape_.+"})', at);
      return {
        health: target.health,
        lastError: target.lastError,
        samplesScraped: Number(samplesScraped[0]?.value[1] ?? Number.NaN),
        seriesStored: Number(stored[0]?.value[1] ?? 0),
      };
    }

    it('scrapes every batch healthy and stores each sample line as one series, in either format (16 batches)', async () => {
      await fc.assert(
        fc.asyncProperty(batch, async (input) => {
          const { bridge, provider } = record(input);
          try {
            const exposition = await bridge.render();
            expect(problemsOf(input, exposition)).toEqual([]);
            const lines = sampleLineCount(exposition);
            const scraped = await scrapedBy(bridge);
            expect(scraped).toEqual({
              health: 'up',
              lastError: '',
              samplesScraped: lines,
              seriesStored: lines,
            });
          } finally {
            current = undefined;
            await provider.shutdown();
          }
        }),
        // No shrinking: each step is a scrape; the seed and path above replay the failing batch.
        { seed: SEED, numRuns: 16, endOnFailure: true },
      );
    });
  },
);
