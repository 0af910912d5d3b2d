// docker-compose.yml cannot run here; these tests check that its paths, ports and mounts agree
// with prometheus.yml and the Grafana provisioning files.
import { existsSync } from 'node:fs';
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DASHBOARDS_DIRECTORY, KIT, readKitFile } from './expressions.mjs';
import { parseYaml } from './support/yaml.mjs';

const compose = parseYaml(readKitFile('docker-compose.yml'));
const datasources = parseYaml(readKitFile('grafana/provisioning/datasources/prometheus.yml'));
const providers = parseYaml(readKitFile('grafana/provisioning/dashboards/dashboards.yml'));
const prometheusConfig = parseYaml(readKitFile('prometheus.yml'));

/** [{ host, container }] of a service's bind mounts (anonymous volumes left out). */
function mounts(service) {
  return (compose.services[service].volumes ?? [])
    .map((volume) => volume.split(':'))
    .filter((parts) => parts.length >= 2)
    .map(([host, container]) => ({ host, container }));
}

function publishedPorts(service) {
  return (compose.services[service].ports ?? []).map((port) => Number(String(port).split(':')[0]));
}

describe('docker-compose.yml', () => {
  it('runs the demo, Prometheus and Grafana', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['demo', 'grafana', 'prometheus']);
    expect(compose.services.demo.image).toBe('node:20');
    expect(compose.services.demo.command.join(' ')).toContain('npm install && npm start');
  });

  it('mounts only paths that exist, the repository root as the demo', () => {
    for (const service of Object.keys(compose.services))
      for (const { host } of mounts(service)) expect(existsSync(new URL(host, KIT)), host).toBe(true);
    expect(mounts('demo')).toContainEqual({ host: '../..', container: '/repo' });
    expect(existsSync(new URL('../../package.json', KIT))).toBe(true);
  });

  it('gives Prometheus this prometheus.yml with its rules beside it', () => {
    const prometheus = mounts('prometheus');
    const config = prometheus.find(({ host }) => host === './prometheus.yml');
    expect(config?.container).toBe('/etc/prometheus/prometheus.yml');
    for (const ruleFile of prometheusConfig.rule_files) {
      const inContainer = posix.join(posix.dirname(config.container), ruleFile);
      const mount = prometheus.find(({ container }) => inContainer.startsWith(`${container}/`));
      expect(mount, ruleFile).toBeDefined();
      const host = posix.join(mount.host, posix.relative(mount.container, inContainer));
      expect(existsSync(new URL(host, KIT)), host).toBe(true);
    }
  });

  it('puts Prometheus and Grafana in the demo network namespace, with their ports published there', () => {
    expect(compose.services.prometheus.network_mode).toBe('service:demo');
    expect(compose.services.grafana.network_mode).toBe('service:demo');
    const ports = publishedPorts('demo');
    const [target] = prometheusConfig.scrape_configs[0].static_configs[0].targets;
    expect(target.startsWith('localhost:')).toBe(true);
    expect(ports).toContain(Number(target.split(':')[1]));
    expect(ports).toContain(Number(new URL(datasources.datasources[0].url).port));
    expect(ports).toContain(Number(compose.services.grafana.environment.GF_SERVER_HTTP_PORT));
    // the demo API keeps 3000
    expect(Number(compose.services.grafana.environment.GF_SERVER_HTTP_PORT)).not.toBe(3000);
  });

  it('provisions Grafana with the data source and the dashboards directory', () => {
    const grafana = mounts('grafana');
    expect(grafana).toContainEqual({
      host: './grafana/provisioning/datasources',
      container: '/etc/grafana/provisioning/datasources',
    });
    expect(grafana).toContainEqual({
      host: './grafana/provisioning/dashboards',
      container: '/etc/grafana/provisioning/dashboards',
    });
    const dashboards = grafana.find(({ host }) => host === `./${DASHBOARDS_DIRECTORY}`);
    expect(providers.providers.map((provider) => provider.options.path)).toEqual([dashboards.container]);
    const home = compose.services.grafana.environment.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH;
    expect(posix.dirname(home)).toBe(dashboards.container);
    expect(existsSync(new URL(`${DASHBOARDS_DIRECTORY}/${posix.basename(home)}`, KIT))).toBe(true);
  });
});

describe('Grafana data source', () => {
  it('is the default Prometheus, scraped every 5 s', () => {
    expect(datasources.datasources).toHaveLength(1);
    expect(datasources.datasources[0]).toMatchObject({
      type: 'prometheus',
      url: 'http://localhost:9090',
      isDefault: true,
      jsonData: { timeInterval: prometheusConfig.global.scrape_interval },
    });
  });
});

describe('the YAML reader of these tests', () => {
  it('reads block scalars, quotes, flow sequences and nested sequences', async () => {
    const { parseYaml: parse } = await import('./support/yaml.mjs');
    expect(
      parse(
        [
          'a: |',
          '  sum(x)',
          '    / 2',
          'b: >-',
          '  one',
          '  two',
          "c: 'it''s'",
          'd: "x \\"y\\" {{ $value }}"',
          'e: [1, "two", three]',
          'f: []',
          'g:',
          '- h: 1',
          '  i: [a]',
          '- - nested',
          'j: 0.5 # a comment',
          'k: "0.5"',
          'l: localhost:9464',
        ].join('\n'),
      ),
    ).toEqual({
      a: 'sum(x)\n  / 2\n',
      b: 'one two',
      c: "it's",
      d: 'x "y" {{ $value }}',
      e: [1, 'two', 'three'],
      f: [],
      g: [{ h: 1, i: ['a'] }, ['nested']],
      j: 0.5,
      k: '0.5',
      l: 'localhost:9464',
    });
  });

  it('refuses what it does not read, rather than misreading it', async () => {
    const { parseYaml: parse, YamlSubsetError } = await import('./support/yaml.mjs');
    expect(() => parse('a: one\n  two')).toThrow(YamlSubsetError);
    expect(() => parse('a: &anchor 1')).toThrow(YamlSubsetError);
    expect(() => parse('a: {b: 1}')).toThrow(YamlSubsetError);
    expect(() => parse('a: "unterminated')).toThrow(YamlSubsetError);
    expect(() => parse('a: 1\na: 2')).toThrow(YamlSubsetError);
  });
});
