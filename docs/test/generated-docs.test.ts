import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script without type declarations
import { renderConfigurationDoc, renderMetricsDoc } from '../scripts/render-docs.mjs';

const read = (name: string): string => readFileSync(new URL(`../${name}`, import.meta.url), 'utf8');

describe('generated docs', () => {
  it('docs/metrics.md matches @va/semconv (run `npm run docs` after changing a metric)', () => {
    expect(read('metrics.md')).toBe(renderMetricsDoc());
  });

  it('docs/configuration.md lists every environment variable as the SDK reads it (run `npm run docs`)', () => {
    const current = read('configuration.md');
    expect(current).toBe(renderConfigurationDoc(current));
  });
});
