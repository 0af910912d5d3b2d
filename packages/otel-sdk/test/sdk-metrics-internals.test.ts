// The built package in a child process, started by a preload as @va/otel-register starts it, with
// test/fixtures/sdk-metrics-guard.cjs between sdk-metrics' internal files and everyone but sdk-metrics:
// - hidden (a future "exports" map, a moved file), the app still starts and records, with one warning;
// - watched, the memo asks for exactly one internal file, and with VA_METRICS_ATTRIBUTE_HASH_MEMO=false
//   for none. (utils.js is in require.cache either way: sdk-metrics' own modules load it.)
// Needs the package built (`npm run build -w @va/otel-sdk`).
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

interface Run {
  code: number | null;
  stderr: string;
  output: { counts: string[]; deepLoads: string[] };
}

function runApp(build: 'cjs' | 'esm', environment: Record<string, string>): Promise<Run> {
  const preload = build === 'cjs' ? ['--require', './start-sdk.cjs'] : ['--import', './start-sdk.mjs'];
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--require', './sdk-metrics-guard.cjs', ...preload, './record.cjs'],
      {
        cwd: fixtures,
        timeout: 20_000,
        // Nothing from the parent's OTEL_* or VA_* variables.
        env: { PATH: process.env.PATH ?? '', ...environment },
      },
      (error, stdout, stderr) => {
        try {
          resolve({
            code: error === null ? 0 : (error.code as number | null),
            stderr,
            output: JSON.parse(stdout),
          });
        } catch (parseError) {
          reject(new Error(`no output (${String(parseError)}); stderr: ${stderr}`));
        }
      },
    );
  });
}

const COUNT =
  'voice_agent_http_server_request_duration_seconds_count{http_request_method="GET",http_route="/a",otel_scope_name="app"} 3';
const WARNING =
  "@va/otel-sdk: the attribute hash memo is off: @opentelemetry/sdk-metrics/build/src/utils.js could not be loaded (Cannot find module './utils.js'). record() takes sdk-metrics' own attribute hash on every call (a key sort and JSON.stringify each time) instead of once per attribute set; the metrics are the same.\n";

describe.each(['cjs', 'esm'] as const)('the built %s package in a child process', (build) => {
  it('starts and records with sdk-metrics’ internals unavailable, logging one warning', async () => {
    expect(await runApp(build, { SDK_METRICS_GUARD: 'hide' })).toEqual({
      code: 0,
      stderr: WARNING,
      output: { counts: [COUNT], deepLoads: [] },
    });
  });

  it('loads exactly one internal file of sdk-metrics for the memo, and none with the memo off', async () => {
    expect(await runApp(build, { SDK_METRICS_GUARD: 'watch' })).toEqual({
      code: 0,
      stderr: '',
      output: { counts: [COUNT], deepLoads: ['@opentelemetry/sdk-metrics/build/src/utils.js'] },
    });
    expect(
      await runApp(build, { SDK_METRICS_GUARD: 'watch', VA_METRICS_ATTRIBUTE_HASH_MEMO: 'false' }),
    ).toEqual({
      code: 0,
      stderr: '',
      output: { counts: [COUNT], deepLoads: [] },
    });
  });
});
