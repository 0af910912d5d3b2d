import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** dd-trace's ES module entries, each of which registers dd-trace's own import-in-the-middle loader. */
const DATADOG_LOADER = /dd-trace[\\/](initialize\.mjs|loader-hook\.mjs|register\.js)\b/;

/**
 * The copy of import-in-the-middle that dd-trace brings and registers its loader with, when the
 * process was started with it (`--import dd-trace/initialize.mjs`, before or after us) and it is not
 * our copy. Undefined otherwise. With two copies, only the loader's copy calls its hooks for the
 * modules it wraps (pg, express and openai among dd-trace's own); a second loader of ours would
 * only add a warning, so the register hooks through dd-trace's copy and registers none.
 */
export function datadogImportInTheMiddle(): unknown {
  const flags = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  if (!flags.some((flag) => DATADOG_LOADER.test(flag))) return undefined;
  try {
    const ours = createRequire(import.meta.url);
    const datadogRoot = dirname(ours.resolve('dd-trace/package.json'));
    const theirs = createRequire(join(datadogRoot, 'package.json'));
    const path = theirs.resolve('import-in-the-middle');
    return path === ours.resolve('import-in-the-middle') ? undefined : theirs(path);
  } catch {
    return undefined;
  }
}
