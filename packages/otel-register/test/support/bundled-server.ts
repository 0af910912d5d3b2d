// The bundled OpenAI-compatible server for tests that start apps under the register against it.
import {
  type OpenAICompatibleServerOptions,
  type StartedServer,
  startOpenAICompatibleServer,
} from '@va/openai-compatible-server';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { type RegisteredApp, startRegisteredApp } from './child-app.js';
import type { Sample } from './exposition.js';
import { scrape } from './scrape.js';

export interface BundledServer {
  /** The server, from the describe's `beforeAll` on. */
  readonly server: StartedServer;
  /** Starts a fixture under the register (as `startRegisteredApp`); it is killed after the test. */
  start(...startArguments: Parameters<typeof startRegisteredApp>): Promise<RegisteredApp>;
  /** Starts a fixture as `start` does and reads its /metrics once it is ready (it has made its calls). */
  startAndScrape(...startArguments: Parameters<typeof startRegisteredApp>): Promise<Sample[]>;
}

/**
 * Registers in the calling describe: the server starts before its tests and closes after the last;
 * after each test the apps it started are killed and the server forgets what it recorded.
 */
export function useBundledServer(options?: OpenAICompatibleServerOptions): BundledServer {
  let server: StartedServer | undefined;
  const apps: RegisteredApp[] = [];
  beforeAll(async () => {
    server = await startOpenAICompatibleServer(options);
  });
  afterAll(async () => {
    await server?.close();
  });
  afterEach(async () => {
    for (const started of apps.splice(0)) await started.app.stop('SIGKILL');
    server?.reset();
  });
  return {
    get server() {
      if (server === undefined) throw new Error('the bundled server starts in beforeAll');
      return server;
    },
    async start(...startArguments) {
      const started = await startRegisteredApp(...startArguments);
      apps.push(started);
      return started;
    },
    async startAndScrape(...startArguments) {
      return scrape((await this.start(...startArguments)).metricsPort);
    },
  };
}
