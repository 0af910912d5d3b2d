import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { metrics } from '@opentelemetry/api';
import { AGENT_METRICS, GEN_AI_EXECUTE_TOOL_DURATION, GEN_AI_INVOKE_AGENT_DURATION } from '@va/semconv';
import { afterEach, describe, expect, it } from 'vitest';
import {
  errorTypeOf,
  executeTool,
  instrumentTool,
  invokeAgent,
  PACKAGE_VERSION,
  runNode,
} from '../src/index.js';
import { OpenRuns } from '../src/langgraph/open-runs.js';
import { TestMetrics } from './support/metrics.js';
import { series } from './support/series.js';

const SRC = new URL('../src/', import.meta.url);

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(folder, entry.name)) : [join(folder, entry.name)],
  );
}

describe('errorTypeOf', () => {
  it('gives the HTTP status, else the class name, else _OTHER', () => {
    class ToolTimeoutError extends Error {}
    expect(errorTypeOf(new TypeError('x'))).toBe('TypeError');
    expect(errorTypeOf(new ToolTimeoutError('x'))).toBe('ToolTimeoutError');
    expect(errorTypeOf(Object.assign(new Error('x'), { status: 503 }))).toBe('503');
    expect(errorTypeOf({ status: 404 })).toBe('404');
    expect(errorTypeOf(Object.assign(new Error('x'), { status: 42 }))).toBe('Error');
    expect(errorTypeOf(Object.assign(new Error('x'), { status: '500' }))).toBe('Error');
    expect(errorTypeOf(new (class extends RangeError {})('x'))).toBe('RangeError');
    expect(errorTypeOf(new DOMException('aborted', 'AbortError'))).toBe('AbortError');
    expect(errorTypeOf(new DOMException('timed out', 'TimeoutError'))).toBe('TimeoutError');
    expect(errorTypeOf('a string')).toBe('_OTHER');
    expect(errorTypeOf(undefined)).toBe('_OTHER');
    expect(errorTypeOf(null)).toBe('_OTHER');
    expect(errorTypeOf({ message: 'plain' })).toBe('_OTHER');
    expect(errorTypeOf(Object.create(null))).toBe('_OTHER');
  });
});

describe('OpenRuns', () => {
  it('forgets the oldest run past its limit', () => {
    const runs = new OpenRuns<number>(2);
    runs.add('a', 1);
    runs.add('b', 2);
    runs.add('c', 3);
    expect(runs.size).toBe(2);
    expect(runs.has('a')).toBe(false);
    expect(runs.take('b')).toBe(2);
    expect(runs.take('b')).toBeUndefined();
  });
});

describe('the module-level helpers', () => {
  let testMetrics: TestMetrics | undefined;
  afterEach(async () => {
    metrics.disable();
    await testMetrics?.shutdown();
  });

  it('record to the global meter provider as it is at each call', async () => {
    // Created before any SDK is registered, like helpers imported at the top of an app.
    const tool = instrumentTool('lookup_order', (id: string) => `order ${id}`);
    testMetrics = new TestMetrics();
    metrics.setGlobalMeterProvider(testMetrics.meterProvider);

    expect(invokeAgent('support-agent', () => runNode('plan', () => tool('1')))).toBe('order 1');
    await executeTool('search', async () => 'found');

    expect(series(await testMetrics.points(GEN_AI_INVOKE_AGENT_DURATION.name))).toEqual([
      { attributes: { 'gen_ai.agent.name': 'support-agent' }, count: 1 },
    ]);
    expect((await testMetrics.points(GEN_AI_EXECUTE_TOOL_DURATION.name)).map((point) => point.count)).toEqual(
      [1, 1],
    );
  });
});

describe('the package', () => {
  it('spells no metric name: every one comes from @va/semconv', () => {
    const names = AGENT_METRICS.map((definition) => definition.name);
    for (const file of sourceFiles(SRC.pathname)) {
      const text = readFileSync(file, 'utf8');
      for (const name of names) expect(text, `${file} spells ${name}`).not.toContain(`'${name}'`);
    }
  });

  it('keeps its scope version equal to package.json', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(PACKAGE_VERSION).toBe(manifest.version);
  });
});
