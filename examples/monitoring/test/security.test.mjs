// The sample configurations of docs/security.md (security/): the Prometheus files through
// `promtool check config` (with the secret files they name present; without the token file it fails), the
// Kubernetes files through the kit's YAML reader and against each other, and each YAML block of
// docs/security.md that names a file here must be that file, word for word. A real Prometheus scraping with
// these files is in packages/otel-register/test/metrics-auth.test.ts.
// Without promtool the promtool checks are skipped with a warning, except in CI, where they fail.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findPromtool, inCI } from './support/promtool.mjs';
import { parseYaml } from './support/yaml.mjs';

const SECURITY = fileURLToPath(new URL('../security/', import.meta.url));
const DOCS_PAGE = new URL('../../../docs/security.md', import.meta.url);
const CONFIGURATION_PAGE = new URL('../../../docs/configuration.md', import.meta.url);
// Where the Prometheus files expect the Secret mounted.
const SECRETS = '/etc/prometheus/secrets/';

const read = (path) => readFileSync(join(SECURITY, path), 'utf8');
const yamlFiles = readdirSync(SECURITY)
  .filter((name) => name.endsWith('.yml'))
  .sort();
const prometheusFiles = yamlFiles.filter((name) => name.startsWith('prometheus-'));

const promtool = findPromtool();
if (promtool === undefined && !inCI) {
  console.warn(
    'SKIPPED: promtool is not on PATH (Debian package `prometheus`); security/ is not checked by it.',
  );
}

/**
 * Runs `promtool check config` on `file` copied into a temporary directory, with the secret paths moved
 * under it; `secrets` are the files created there (paths relative to SECRETS).
 */
function checkWithSecrets(file, secrets) {
  if (promtool === undefined) throw new Error('promtool is not on PATH, and CI must not skip this test');
  const directory = mkdtempSync(join(tmpdir(), 'va-security-'));
  try {
    for (const secret of secrets) {
      mkdirSync(dirname(join(directory, 'secrets', secret)), { recursive: true });
      writeFileSync(join(directory, 'secrets', secret), 'not-a-real-secret\n');
    }
    writeFileSync(join(directory, file), read(file).replaceAll(SECRETS, `${directory}/secrets/`));
    const result = spawnSync(promtool, ['check', 'config', file], {
      cwd: directory,
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** The secret files a Prometheus file names, relative to SECRETS. */
function secretsOf(file) {
  const [job] = parseYaml(read(file)).scrape_configs;
  const path = job.authorization?.credentials_file ?? job.basic_auth?.password_file;
  expect(path.startsWith(SECRETS)).toBe(true);
  return [path.slice(SECRETS.length)];
}

describe.runIf(promtool !== undefined || inCI)('promtool check config', () => {
  it.each(prometheusFiles)('accepts %s with its secret file present', (file) => {
    const { ok, output } = checkWithSecrets(file, secretsOf(file));
    expect(output).toContain(`SUCCESS: ${file} is valid prometheus config file syntax`);
    expect(ok).toBe(true);
  });

  // promtool checks that a credentials_file exists (a password_file it does not, in 2.42): so the check above
  // really read the bearer file's path.
  it('rejects prometheus-bearer-token.yml when its credentials file is missing', () => {
    const { ok, output } = checkWithSecrets('prometheus-bearer-token.yml', []);
    expect(ok).toBe(false);
    expect(output).toContain('no such file or directory');
  });
});

describe('security/', () => {
  it.each(yamlFiles)('%s is YAML', (file) => {
    expect(() => parseYaml(read(file))).not.toThrow();
  });

  it('the two Prometheus files scrape the same target, one with a bearer token file, one with basic auth', () => {
    const [bearer] = parseYaml(read('prometheus-bearer-token.yml')).scrape_configs;
    const [basic] = parseYaml(read('prometheus-basic-auth.yml')).scrape_configs;
    expect(bearer.authorization).toEqual({
      type: 'Bearer',
      credentials_file: '/etc/prometheus/secrets/voice-agent-metrics/token',
    });
    expect(basic.basic_auth).toEqual({
      username: 'prometheus',
      password_file: '/etc/prometheus/secrets/voice-agent-metrics/password',
    });
    expect(bearer.static_configs).toEqual([{ targets: ['voice-agent:9464'] }]);
    expect(basic.static_configs).toEqual(bearer.static_configs);
  });

  it('the Deployment reads the token key of the Secret where it mounts it, and probes /health', () => {
    const secret = parseYaml(read('kubernetes-secret.yml'));
    const deployment = parseYaml(read('kubernetes-deployment.yml'));
    const pod = deployment.spec.template.spec;
    const [container] = pod.containers;
    const [volume] = pod.volumes;
    expect(volume.secret.secretName).toBe(secret.metadata.name);
    const [mount] = container.volumeMounts;
    expect(mount.name).toBe(volume.name);
    expect(Object.keys(secret.stringData)).toEqual(['token']);
    expect(container.env).toEqual([
      { name: 'VA_METRICS_BEARER_TOKEN_FILE', value: `${mount.mountPath}/token` },
    ]);
    expect(container.command).toEqual(['node', '--require', '@va/otel-register', 'server.js']);
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health', port: 'metrics' });
    // The variable is one the SDK reads (docs/configuration.md is generated from the SDK's list).
    expect(readFileSync(CONFIGURATION_PAGE, 'utf8')).toContain('| `VA_METRICS_BEARER_TOKEN_FILE` |');
  });
});

describe('docs/security.md', () => {
  const page = readFileSync(DOCS_PAGE, 'utf8');
  const blocks = [...page.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((match) => match[1]);

  it.each(yamlFiles)('shows %s as it is, under its path', (file) => {
    const block = blocks.find((candidate) =>
      candidate.startsWith(`# examples/monitoring/security/${file}\n`),
    );
    expect(block, `no block for ${file}`).toBeDefined();
    // The file without its leading comment (the page says it in prose) is the block without its path line.
    const withoutHeader = read(file).replace(/^(?:#.*\n)+/, '');
    expect(block.slice(block.indexOf('\n') + 1)).toBe(withoutHeader);
  });
});
