import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFakePackages } from './support.js';

const packages = writeFakePackages({ 'va-fake-lib': '2.0.0', 'va-fake-other': '1.0.0' });
afterAll(() => packages.remove());

const BASE = fileURLToPath(new URL('../dist/cjs/index.js', import.meta.url));
const UPSTREAM = createRequire(import.meta.url).resolve('@opentelemetry/instrumentation');

/**
 * An application's own OpenTelemetry setup that starts after ours: its setup file requires a module
 * before it constructs its instrumentations (as `require('@opentelemetry/sdk-node')` loads `http`), and
 * its instrumentation must still patch that module when the application requires it.
 */
function theirPatchApplies(ours: 'va' | 'upstream-base'): boolean {
  const script = join(packages.require.resolve('va-fake-lib'), '..', '..', '..', `app-${ours}.js`);
  writeFileSync(
    script,
    `
const upstream = require(${JSON.stringify(UPSTREAM)});
const { MetricsInstrumentation } = require(${JSON.stringify(BASE)});
class OursVa extends MetricsInstrumentation {
  modulePatches() { return [{ module: 'va-fake-lib', versions: { minimum: '2.0.0', below: '3' }, patch() {}, unpatch() {} }]; }
  createInstruments() {}
}
class OursOnUpstreamBase extends upstream.InstrumentationBase {
  init() { return [new upstream.InstrumentationNodeModuleDefinition('va-fake-lib', ['*'], (e) => e, () => {})]; }
}
if (${JSON.stringify(ours)} === 'va') new OursVa('ours', '1.0.0').enable();
else new OursOnUpstreamBase('ours', '1.0.0', {});

// Their setup: a module is loaded, then their instrumentation is created.
require('va-fake-other');
class Theirs extends upstream.InstrumentationBase {
  init() {
    return [new upstream.InstrumentationNodeModuleDefinition('va-fake-other', ['*'], (exports) => {
      exports.patchedByThem = true;
      return exports;
    })];
  }
}
new Theirs('theirs', '1.0.0', {});
process.stdout.write(String(require('va-fake-other').patchedByThem === true));
`,
  );
  return execFileSync(process.execPath, [script], { encoding: 'utf8', timeout: 20_000 }) === 'true';
}

describe('beside an application whose own instrumentations start later', () => {
  it('leaves their require hook working (no shared require-hook singleton)', () => {
    expect(theirPatchApplies('va')).toBe(true);
  });

  it('is a real check: an instrumentation on @opentelemetry/instrumentation in our place breaks theirs', () => {
    expect(theirPatchApplies('upstream-base')).toBe(false);
  });
});
