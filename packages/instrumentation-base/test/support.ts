import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LIBRARY_SOURCE = `class Client {
  query(text) {
    return 'result of ' + text;
  }
}
module.exports = { Client };
`;

export interface FakePackages {
  /** require() from the folder that holds node_modules, as an application would. */
  require: NodeJS.Require;
  remove(): void;
}

/** Packages `name@version` with a `Client` class, in a fresh node_modules of their own. */
export function writeFakePackages(packages: Record<string, string>): FakePackages {
  const root = mkdtempSync(join(tmpdir(), 'va-instrumentation-base-'));
  for (const [name, version] of Object.entries(packages)) {
    const directory = join(root, 'node_modules', name);
    mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, 'package.json'), JSON.stringify({ name, version, main: 'index.js' }));
    writeFileSync(join(directory, 'index.js'), LIBRARY_SOURCE);
  }
  return {
    require: createRequire(join(root, 'app.js')),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}
