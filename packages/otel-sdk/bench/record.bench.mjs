#!/usr/bin/env node
// The record hot path: what one Histogram.record() costs with the attributes our instrumentations
// pass, on the SDK's default path and on ours (@va/otel-sdk start(): the attribute set interner
// plus the attribute hash memo, see src/hot-path/), and ours without the memo, which is what it saves.
//
// Each variant runs in its own child process, because the hash memo is process-wide; rounds are
// interleaved (every variant once per round) so drift on this noisy machine hits all of them alike.
// Reported: the median over rounds of ns per record(), and the ratio to the SDK's default path.
//
//   node bench/record.bench.mjs            # full: 7 rounds
//   node bench/record.bench.mjs --quick    # a smoke run, a second or two
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, type as osType, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const run = promisify(execFile);

const VARIANTS = {
  'sdk, no attributes': 'the SDK with a reader and no view; record(value) alone',
  'sdk default':
    'the SDK with a reader and the allow-list view a semconv metric needs; a fresh attribute object per call',
  'sdk default, reused object': 'the same, passing one attribute object every time',
  'ours, fresh object': '@va/otel-sdk start(); a fresh attribute object per call (what most call sites do)',
  'ours, prepared set':
    '@va/otel-sdk start(); one frozen attribute object per series, reused (the HTTP server path)',
  'ours, prepared set, no hash memo':
    'the same with VA_METRICS_ATTRIBUTE_HASH_MEMO=false: the interner alone, the SDK hashing every record()',
};

const ATTRIBUTE_SETS = {
  http: () => ({
    'http.request.method': 'GET',
    'url.scheme': 'http',
    'network.protocol.version': '1.1',
    'http.response.status_code': 200,
    'http.route': '/users/:id',
  }),
  genai: () => ({
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'gpt-4o-mini',
    'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
    'server.address': 'api.openai.com',
  }),
};

async function child(variant, setName, iterations) {
  const sdkMetrics = await import('@opentelemetry/sdk-metrics');
  const attributesOf = ATTRIBUTE_SETS[setName];
  const instrumentName =
    setName === 'http' ? 'http.server.request.duration' : 'gen_ai.client.operation.duration';
  let histogram;
  if (variant.startsWith('sdk')) {
    class IdleReader extends sdkMetrics.MetricReader {
      async onForceFlush() {}
      async onShutdown() {}
    }
    const views =
      variant === 'sdk, no attributes'
        ? []
        : [
            {
              instrumentName,
              attributesProcessors: [
                sdkMetrics.createAllowListAttributesProcessor(Object.keys(attributesOf())),
              ],
            },
          ];
    const provider = new sdkMetrics.MeterProvider({ views, readers: [new IdleReader()] });
    histogram = provider.getMeter('bench').createHistogram(instrumentName, { unit: 's' });
  } else {
    // The real thing: semconv views with the interner, the hash memo, and the Prometheus reader
    // (its server not started: a scrape is not what is measured here).
    const { start } = await import('@va/otel-sdk');
    const environment = variant.endsWith('no hash memo') ? { VA_METRICS_ATTRIBUTE_HASH_MEMO: 'false' } : {};
    const sdk = start({ environment, logLevel: false, prometheus: { preventServerStart: true } });
    histogram = sdk.meterProvider.getMeter('bench').createHistogram(instrumentName, { unit: 's' });
  }
  const prepared = Object.freeze(attributesOf());
  const reused = attributesOf();
  const record =
    variant === 'sdk, no attributes'
      ? (value) => histogram.record(value)
      : variant.startsWith('ours, prepared set')
        ? (value) => histogram.record(value, prepared)
        : variant === 'sdk default, reused object'
          ? (value) => histogram.record(value, reused)
          : (value) => histogram.record(value, attributesOf());
  for (let index = 0; index < iterations / 4; index++) record((index % 100) / 1000);
  const started = process.hrtime.bigint();
  for (let index = 0; index < iterations; index++) record((index % 100) / 1000);
  const elapsed = Number(process.hrtime.bigint() - started);
  process.stdout.write(`${elapsed / iterations}\n`);
  process.exit(0);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function parent() {
  const quick = process.argv.includes('--quick');
  const rounds = quick ? 1 : 7;
  const iterations = quick ? 50_000 : 2_000_000;
  const results = {};
  for (let round = 0; round < rounds; round++) {
    for (const setName of Object.keys(ATTRIBUTE_SETS)) {
      for (const variant of Object.keys(VARIANTS)) {
        const { stdout } = await run(
          process.execPath,
          [fileURLToPath(import.meta.url), '--child', variant, setName, String(iterations)],
          { timeout: 120_000 },
        );
        ((results[setName] ??= {})[variant] ??= []).push(Number(stdout.trim()));
      }
    }
  }
  const lines = [];
  const versions = {
    node: process.version,
    sdkMetrics: (await import('@opentelemetry/sdk-metrics/package.json', { with: { type: 'json' } })).default
      .version,
  };
  const cpu = cpus();
  lines.push('# Record hot path: one Histogram.record()', '');
  lines.push(
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpu[0]?.model.trim()} × ${cpu.length}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ${osType()}, Node ${versions.node}, @opentelemetry/sdk-metrics ${versions.sdkMetrics}; ${rounds} rounds × ${iterations.toLocaleString('en')} records per variant, each variant in its own process. Reproduce: \`npm run bench --workspace @va/otel-sdk\`.`,
    '',
  );
  for (const [setName, byVariant] of Object.entries(results)) {
    const baseline = median(byVariant['sdk default']);
    lines.push(
      `## ${setName} attributes (5 keys)`,
      '',
      '| variant | ns per record(), median | vs SDK default |',
      '|---|---:|---:|',
    );
    for (const [variant, samples] of Object.entries(byVariant)) {
      const value = median(samples);
      lines.push(`| ${variant} | ${value.toFixed(0)} | ${(value / baseline).toFixed(3)}× |`);
    }
    lines.push('');
  }
  lines.push(
    'Variants:',
    '',
    ...Object.entries(VARIANTS).map(([name, what]) => `- **${name}**: ${what}.`),
    '',
  );
  const table = lines.join('\n');
  process.stdout.write(`${table}\n`);
  if (!quick) writeFileSync(join(here, 'last-run.md'), `${table}\n`);
}

if (process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4], Number(process.argv[5]));
} else {
  await parent();
}
