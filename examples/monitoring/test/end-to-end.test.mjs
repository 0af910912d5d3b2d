// The seed reports end in a query that returns nothing. This test starts the demo for a bounded
// run, lets a real Prometheus scrape it (with our recording and alert rules loaded) and evaluates
// every dashboard panel and every rule through the Prometheus HTTP API. It fails on any expression
// that returns no data; an alert may be inactive, but every selector inside it must match series.
// Dashboard queries are sent as Grafana sends them, template variables substituted: every variable
// at All, then each value of each variable alone (the others at All).
//
// All of it once per mode of OTEL_SEMCONV_STABILITY_OPT_IN: the kit reads the GenAI series of every
// mode. An alert selector of a family the demo's mode does not write for its LLM calls is not
// required to match (today's inference families under gen_ai_latest_experimental, the 2026 ones by
// default); every panel must return data in every mode.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GEN_AI_FAMILIES_BY_CONVENTIONS } from '../grafana/generate-dashboards.mjs';
import { allExpressions, dashboards } from './expressions.mjs';
import { interpolate, queryVariables, resolveVariables } from './support/grafana-variables.mjs';

const KIT = fileURLToPath(new URL('..', import.meta.url));
const DEMO = fileURLToPath(new URL('../../voice-agent', import.meta.url));
const RUN_SECONDS = 90;

function findPrometheus() {
  for (const candidate of [process.env.PROMETHEUS_BIN, 'prometheus'].filter(Boolean)) {
    try {
      execFileSync(candidate, ['--version'], { stdio: 'ignore', timeout: 10_000 });
      return candidate;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

const prometheusBinary = findPrometheus();
const required = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
if (prometheusBinary === undefined && required) {
  throw new Error('CI is set but no prometheus binary was found (apt-get install -y prometheus)');
}
if (prometheusBinary === undefined) console.warn('end-to-end.test.mjs: skipped, no prometheus binary');

async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

function startProcess(command, args, options) {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    output += chunk;
  });
  const exited = once(child, 'exit');
  return {
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

async function waitFor(condition, timeoutMillis, what) {
  const deadline = Date.now() + timeoutMillis;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Each mode: its OTEL_SEMCONV_STABILITY_OPT_IN value and the GenAI families it does not write. */
const MODES = [
  { name: 'default', optIn: undefined, unwritten: GEN_AI_FAMILIES_BY_CONVENTIONS.latest },
  {
    name: 'gen_ai_latest_experimental',
    optIn: 'gen_ai_latest_experimental',
    unwritten: GEN_AI_FAMILIES_BY_CONVENTIONS.current,
  },
  { name: 'gen_ai/dup', optIn: 'gen_ai/dup', unwritten: [] },
];

/** The family a selector reads: its metric name without a histogram's suffix. */
function familyOf(selector) {
  const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(selector)?.[0] ?? '';
  return name.replace(/_(bucket|sum|count)$/, '');
}

describe.skipIf(prometheusBinary === undefined).each(MODES)(
  'every dashboard panel and rule against the demo, $name mode',
  ({ optIn, unwritten }) => {
    let demo;
    let prometheus;
    let prometheusUrl;
    let directory;
    let metricsPort;

    async function query(expression) {
      const url = `${prometheusUrl}/api/v1/query?query=${encodeURIComponent(expression)}`;
      const body = await (await fetch(url)).json();
      if (body.status !== 'success') throw new Error(`${expression}: ${body.error}`);
      return body.data.result;
    }

    beforeAll(async () => {
      metricsPort = await freePort();
      demo = startProcess(
        process.execPath,
        ['--require', '@va/otel-register', 'src/main.js', '--duration', String(RUN_SECONDS), '--quiet'],
        {
          cwd: DEMO,
          env: {
            PATH: process.env.PATH ?? '',
            PORT: '0',
            OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1',
            OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
            OTEL_LOG_LEVEL: 'warn',
            ...(optIn === undefined ? {} : { OTEL_SEMCONV_STABILITY_OPT_IN: optIn }),
          },
        },
      );
      await waitFor(() => /^ready \d+/m.test(demo.output()), 60_000, `the demo\n${demo.output()}`);

      directory = mkdtempSync(join(tmpdir(), 'va-monitoring-e2e-'));
      const configuration = join(directory, 'prometheus.yml');
      writeFileSync(
        configuration,
        [
          'global:',
          '  scrape_interval: 1s',
          '  evaluation_interval: 1s',
          'rule_files:',
          `  - ${join(KIT, 'rules', 'recording.yml')}`,
          `  - ${join(KIT, 'rules', 'alerts.yml')}`,
          'scrape_configs:',
          '  - job_name: voice-agent',
          '    static_configs:',
          `      - targets: ['127.0.0.1:${metricsPort}']`,
          '',
        ].join('\n'),
      );
      const prometheusPort = await freePort();
      prometheusUrl = `http://127.0.0.1:${prometheusPort}`;
      prometheus = startProcess(prometheusBinary, [
        `--config.file=${configuration}`,
        `--storage.tsdb.path=${join(directory, 'data')}`,
        `--web.listen-address=127.0.0.1:${prometheusPort}`,
        '--log.level=warn',
      ]);
      await waitFor(
        async () => {
          try {
            return (await fetch(`${prometheusUrl}/-/ready`)).ok;
          } catch {
            return false;
          }
        },
        30_000,
        'Prometheus',
      );
    }, 120_000);

    afterAll(async () => {
      await prometheus?.stop();
      await demo?.stop();
      if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
    });

    /** The values Prometheus lists for a label_values() query, as Grafana asks for them. */
    async function labelValues(selector, label) {
      const url = `${prometheusUrl}/api/v1/label/${label}/values?match[]=${encodeURIComponent(selector)}`;
      const body = await (await fetch(url)).json();
      if (body.status !== 'success') throw new Error(`label_values(${selector}, ${label}): ${body.error}`);
      return body.data;
    }

    /** Polls until every check passes or the demo's run is nearly over; returns the ids still failing. */
    async function failingChecks(checks) {
      let failing = checks;
      const deadline = Date.now() + (RUN_SECONDS - 20) * 1000;
      while (failing.length > 0 && Date.now() < deadline) {
        const still = [];
        for (const check of failing) if (!(await check.passes())) still.push(check);
        failing = still;
        if (failing.length > 0) await new Promise((resolve) => setTimeout(resolve, 3_000));
      }
      return failing.map((check) => check.id);
    }

    it(
      'returns data for every panel (variables at All, then one value) and recording rule, and every alert selector matches series',
      async () => {
        const expressions = await allExpressions();
        expect(expressions.length).toBeGreaterThan(50);
        const json = new Map(dashboards().map(({ file, json }) => [file, json]));
        const hasData = async (expr) => (await query(expr)).length > 0;
        // One check per expression: the expression itself, or for an alert each selector inside it.
        const checks = [];
        for (const expression of expressions) {
          if (expression.kind === 'alert') {
            await query(expression.expr); // must at least evaluate
            for (const selector of expression.innerSelectors.filter(
              (inner) => !unwritten.includes(familyOf(inner)),
            ))
              checks.push({ id: `${expression.id} ${selector}`, passes: () => hasData(selector) });
          } else if (expression.kind === 'panel') {
            const dashboard = json.get(expression.file);
            checks.push({
              id: `${expression.id}: ${expression.expr}`,
              passes: async () => {
                const { values } = await resolveVariables(dashboard, labelValues);
                return hasData(interpolate(expression.expr, values));
              },
            });
          } else
            checks.push({
              id: `${expression.id}: ${expression.expr}`,
              passes: () => hasData(expression.expr),
            });
        }
        // Each value of each variable selected alone, the others at All: every panel shows data for
        // at least one of them (a panel of one model, say, may well be empty for another).
        for (const [file, dashboard] of json) {
          const targets = dashboard.panels.flatMap((panel) =>
            (panel.targets ?? []).map((target) => ({ id: `${file}#${panel.id}/${target.refId}`, target })),
          );
          for (const variable of queryVariables(dashboard))
            for (const { id, target } of targets)
              checks.push({
                id: `${id} with one $${variable.name}: ${target.expr}`,
                passes: async () => {
                  const { options } = await resolveVariables(dashboard, labelValues);
                  for (const value of options.get(variable.name)) {
                    const one = await resolveVariables(dashboard, labelValues, { [variable.name]: [value] });
                    if (await hasData(interpolate(target.expr, one.values))) return true;
                  }
                  return false;
                },
              });
        }
        expect(await failingChecks(checks)).toEqual([]);
        const up = await query('up{job="voice-agent"}');
        expect(up.map((sample) => sample.value[1])).toEqual(['1']);
      },
      RUN_SECONDS * 1000,
    );

    it('lists this target in the job, service and instance variables, and a value in every filter variable', async () => {
      for (const { file, json } of dashboards()) {
        const { values, options } = await resolveVariables(json, labelValues);
        expect(options.get('job'), file).toEqual(['voice-agent']);
        expect(options.get('instance'), file).toEqual([`127.0.0.1:${metricsPort}`]);
        expect(options.get('service_name'), file).toHaveLength(1);
        // the instance variable has no allValue: All is the instance it lists, escaped as Grafana does
        expect(values.get('instance'), file).toBe(`127\\\\.0\\\\.0\\\\.1:${metricsPort}`);
        for (const variable of queryVariables(json))
          expect(options.get(variable.name).length, `${file} $${variable.name}`).toBeGreaterThan(0);
      }
    });
  },
);
