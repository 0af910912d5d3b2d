// The sample configurations of docs/scaling.md (scaling/): every Prometheus file through
// `promtool check config`, every file through the kit's YAML reader, the Collector pipeline's references,
// and each YAML block of docs/scaling.md that names a file here must be that file, word for word.
// Without promtool the promtool checks are skipped with a warning, except in CI, where they fail.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findPromtool, inCI } from './support/promtool.mjs';
import { parseYaml } from './support/yaml.mjs';

const SCALING = fileURLToPath(new URL('../scaling/', import.meta.url));
const DOCS_PAGE = new URL('../../../docs/scaling.md', import.meta.url);

const read = (path) => readFileSync(join(SCALING, path), 'utf8');
const yamlFiles = [
  ...readdirSync(SCALING).filter((name) => name.endsWith('.yml')),
  ...readdirSync(join(SCALING, 'targets')).map((name) => `targets/${name}`),
].sort();
const prometheusFiles = yamlFiles.filter((name) => name.startsWith('prometheus-'));

const promtool = findPromtool();
if (promtool === undefined && !inCI) {
  console.warn(
    'SKIPPED: promtool is not on PATH (Debian package `prometheus`); scaling/ is not checked by it.',
  );
}

function checkConfig(file, cwd = SCALING) {
  if (promtool === undefined) throw new Error('promtool is not on PATH, and CI must not skip this test');
  const result = spawnSync(promtool, ['check', 'config', file], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

// Debian builds Prometheus without the Kubernetes service discovery; its promtool then rejects the
// kubernetes_sd_configs key itself. With such a promtool, the rest of the file (the relabelling, which is
// where mistakes hide) is checked with the discovery swapped for a static target.
const NO_KUBERNETES_SD = /field kubernetes_sd_configs not found/;

describe.runIf(promtool !== undefined || inCI)('promtool check config', () => {
  it.each(prometheusFiles)('accepts %s', (file) => {
    const { ok, output } = checkConfig(file);
    if (ok || !NO_KUBERNETES_SD.test(output)) {
      expect(output).toContain(`SUCCESS: ${file} is valid prometheus config file syntax`);
      return;
    }
    console.warn(
      `${file}: this promtool has no Kubernetes discovery; checked with a static target in its place`,
    );
    const swapped = read(file).replace(
      /kubernetes_sd_configs:\n {6}- role: pod\n/,
      'static_configs:\n      - targets:\n          - localhost:9464\n',
    );
    expect(swapped).not.toContain('kubernetes_sd_configs');
    const directory = mkdtempSync(join(tmpdir(), 'va-scaling-'));
    try {
      writeFileSync(join(directory, file), swapped);
      const checked = checkConfig(file, directory);
      expect(checked.output).toContain(`SUCCESS: ${file} is valid prometheus config file syntax`);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('reads the file_sd target files too (a broken one fails the check)', () => {
    const directory = mkdtempSync(join(tmpdir(), 'va-scaling-'));
    try {
      writeFileSync(join(directory, 'prometheus-file-sd.yml'), read('prometheus-file-sd.yml'));
      mkdirSync(join(directory, 'targets'));
      writeFileSync(join(directory, 'targets', 'broken.yml'), '- target: [nope]\n');
      expect(checkConfig('prometheus-file-sd.yml', directory).ok).toBe(false);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('scaling/', () => {
  it.each(yamlFiles)('%s is YAML', (file) => {
    expect(() => parseYaml(read(file))).not.toThrow();
  });

  it('kubernetes-pod.yml carries the annotations prometheus-kubernetes.yml keeps, and serves that port', () => {
    const pod = parseYaml(read('kubernetes-pod.yml'));
    expect(pod.metadata.annotations).toEqual({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '9464',
      'prometheus.io/path': '/metrics',
    });
    expect(pod.spec.containers[0].ports).toEqual([{ name: 'metrics', containerPort: 9464 }]);
    const [job] = parseYaml(read('prometheus-kubernetes.yml')).scrape_configs;
    expect(job.kubernetes_sd_configs).toEqual([{ role: 'pod' }]);
    expect(job.relabel_configs[0]).toEqual({
      source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'],
      action: 'keep',
      regex: 'true',
    });
  });

  it('the PM2 job lists one port per instance, from 9464 on', () => {
    const [job] = parseYaml(read('prometheus-pm2.yml')).scrape_configs;
    expect(job.static_configs[0].targets).toEqual([
      'localhost:9464',
      'localhost:9465',
      'localhost:9466',
      'localhost:9467',
    ]);
  });

  it('the Collector pipeline uses only components it defines, and names series as a direct scrape does', () => {
    const config = parseYaml(read('otel-collector.yml'));
    const pipeline = config.service.pipelines.metrics;
    for (const [kind, names] of [
      ['receivers', pipeline.receivers],
      ['processors', pipeline.processors],
      ['exporters', pipeline.exporters],
    ]) {
      for (const name of names) expect(Object.keys(config[kind]), `${kind}.${name}`).toContain(name);
    }
    // The port OTEL_EXPORTER_OTLP_ENDPOINT points at: OTLP over HTTP (the SDK speaks no gRPC).
    expect(config.receivers.otlp.protocols).toEqual({ http: { endpoint: '0.0.0.0:4318' } });
    expect(config.exporters.prometheus.namespace).toBe('voice_agent');
    expect(config.exporters.prometheusremotewrite.namespace).toBe('voice_agent');
  });
});

describe('docs/scaling.md', () => {
  const page = readFileSync(DOCS_PAGE, 'utf8');
  const blocks = [...page.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((match) => match[1]);

  it('has YAML blocks, and each is YAML', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(8);
    for (const block of blocks) expect(() => parseYaml(block), block).not.toThrow();
  });

  it.each(yamlFiles)('shows %s as it is, under its path', (file) => {
    const block = blocks.find((candidate) => candidate.startsWith(`# examples/monitoring/scaling/${file}\n`));
    expect(block, `no block for ${file}`).toBeDefined();
    // The file without its leading comment (the page says it in prose) is the block without its path line.
    const withoutHeader = read(file).replace(/^(?:#.*\n)+/, '');
    expect(block.slice(block.indexOf('\n') + 1)).toBe(withoutHeader);
  });
});
