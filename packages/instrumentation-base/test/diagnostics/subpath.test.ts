import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The modules a fresh process has loaded after `statement`, package names only. */
function loadedPackages(statement: string): string[] {
  const script = `${statement}; console.log(JSON.stringify(Object.keys(require.cache)))`;
  const output = execFileSync(process.execPath, ['-e', script], { cwd: PACKAGE_ROOT, encoding: 'utf8' });
  return (JSON.parse(output) as string[]).flatMap((path) => {
    const match = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(path);
    return match?.[1] === undefined ? [] : [match[1].replace('\\', '/')];
  });
}

describe('@va/instrumentation-base/diagnostics', () => {
  it('loads no module hook (require-in-the-middle, import-in-the-middle), unlike the main entry', () => {
    const diagnostics = loadedPackages("require('@va/instrumentation-base/diagnostics')");
    expect(diagnostics).not.toContain('require-in-the-middle');
    expect(diagnostics).not.toContain('import-in-the-middle');
    // The check would pass for a subpath that loads nothing: the main entry does load them.
    expect(loadedPackages("require('@va/instrumentation-base')")).toContain('require-in-the-middle');
  });

  it('serves the same functions to require and import', async () => {
    const required = execFileSync(
      process.execPath,
      ['-e', "console.log(Object.keys(require('@va/instrumentation-base/diagnostics')).sort().join())"],
      { cwd: PACKAGE_ROOT, encoding: 'utf8' },
    );
    const imported = Object.keys(await import('@va/instrumentation-base/diagnostics'))
      .sort()
      .join();
    expect(required.trim()).toBe(imported);
    expect(imported).toBe('createFaultReporter,createLogOnce,errorTypeOf');
  });
});
