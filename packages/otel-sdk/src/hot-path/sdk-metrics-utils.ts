// sdk-metrics' attribute hash lives in one of its internal modules, which no public entry exposes. It is
// loaded here, when start() asks for the hash memo, and never at import: a deep path that a future
// "exports" map or refactor removes must cost the memo, not the host's start-up.
//
// The copy to load is the one our MeterProvider comes from (an app may install several). Node runs
// sdk-metrics' CommonJS build for require and import alike (it has no "exports" map), so that copy's
// entry is in the CommonJS module cache, recognised by its MeterProvider export being ours; a require
// made from that entry's file then loads its utils module. This needs neither `import.meta`, which our
// CommonJS build cannot contain, nor the location of this file.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { MeterProvider } from '@opentelemetry/sdk-metrics';

/** The internal module, named as a user would look it up. */
export const SDK_METRICS_UTILS = '@opentelemetry/sdk-metrics/build/src/utils.js';

const ENTRY_SUFFIX = join('@opentelemetry', 'sdk-metrics', 'build', 'src', 'index.js');

/** Loads the exports object of sdk-metrics' utils module; throws when it cannot. */
export type SdkMetricsUtilsLoader = () => unknown;

/** The utils module of the sdk-metrics copy our MeterProvider comes from. Throws when it cannot be found. */
export const loadSdkMetricsUtils: SdkMetricsUtilsLoader = () => {
  // Only the cache is read from this require, and every require shares the process's one cache, so
  // the path it is created for does not matter.
  const cache = createRequire(process.execPath).cache;
  for (const filename of Object.keys(cache)) {
    if (!filename.endsWith(ENTRY_SUFFIX)) continue;
    const entry = cache[filename]?.exports as { MeterProvider?: unknown } | undefined;
    if (entry?.MeterProvider === MeterProvider) return createRequire(filename)('./utils.js');
  }
  throw new Error(
    "our MeterProvider's copy of @opentelemetry/sdk-metrics is not in the CommonJS module cache",
  );
};
