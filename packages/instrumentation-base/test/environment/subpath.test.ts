import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('@va/instrumentation-base/environment', () => {
  it('loads no module hook: @va/otel-sdk reads its variables through it', () => {
    const script = `require('@va/instrumentation-base/environment');
      console.log(Object.keys(require.cache).filter((path) => /-in-the-middle/.test(path)).length)`;
    const cwd = fileURLToPath(new URL('../..', import.meta.url));
    expect(execFileSync(process.execPath, ['-e', script], { cwd, encoding: 'utf8' }).trim()).toBe('0');
  });

  it('serves the same names to require and import', async () => {
    const cwd = fileURLToPath(new URL('../..', import.meta.url));
    const script = "console.log(Object.keys(require('@va/instrumentation-base/environment')).sort().join())";
    const required = execFileSync(process.execPath, ['-e', script], { cwd, encoding: 'utf8' }).trim();
    const imported = Object.keys(await import('@va/instrumentation-base/environment'))
      .sort()
      .join();
    expect(required).toBe(imported);
    expect(imported).toContain('variableReader');
  });
});
