import type { ModulePatch } from '@va/instrumentation-base';
import { pcmAudio, type StartedServer, startOpenAICompatibleServer } from '@va/openai-compatible-server';
import { until } from '@va/test-metrics';
import { useServerTestbed } from '@va/test-metrics/server-testbed';
import { afterEach, beforeEach } from 'vitest';
import { OpenAIInstrumentation } from '../../src/index.js';
import type { TestMetrics } from './metrics.js';
import { type AnyOpenAI, loadOpenAI, openAIResolver } from './openai-majors.js';

export { until };

/** The `openai` majors with a GA `realtime/ws`: 5 and 6 here, 7 on Node 22 and newer. */
export const GA_REALTIME_MAJORS: readonly number[] =
  Number(process.versions.node.split('.')[0]) >= 22 ? [5, 6, 7] : [5, 6];

/** One `openai` major's Realtime entry point, loaded as the app would: `<openai>/realtime/ws` (or the beta one). */
export interface RealtimeModule {
  readonly major: number;
  readonly version: string;
  /** The module's exports, as require-in-the-middle would hand them to a patch. */
  readonly exports: { OpenAIRealtimeWS: AnyOpenAI };
  readonly OpenAI: AnyOpenAI;
}

export function loadRealtime(major: number, beta = false): RealtimeModule {
  const openai = loadOpenAI(major);
  const { require: load, name } = openAIResolver(major);
  const exports = load(beta ? `${name}/beta/realtime/ws` : `${name}/realtime/ws`);
  return { major, version: openai.version, exports, OpenAI: openai.OpenAI };
}

/** A connection of the app under test and what it received. */
export interface AppConnection {
  // biome-ignore lint/suspicious/noExplicitAny: each major has its own types; the suite drives them alike.
  readonly rt: any;
  readonly types: string[];
  readonly closed: Promise<void>;
  waitFor(type: string, count?: number): Promise<void>;
  /** Streams `ms` of audio in 20 ms appends, as an app forwards a microphone. */
  speak(ms: number): void;
  close(): Promise<void>;
}

const open: AppConnection[] = [];

/** Terminates every connection a test left open. */
export function closeAll(): void {
  for (const connection of open.splice(0)) connection.rt.socket.terminate();
}

/** Opens a Realtime connection of `module` to the server, trusting its certificate as an app would (`ws` options). */
export async function openConnection(
  module: RealtimeModule,
  server: StartedServer,
  model: string,
  wrap: (rt: AnyOpenAI) => AnyOpenAI = (rt) => rt,
): Promise<AppConnection> {
  const client = new module.OpenAI({ apiKey: 'test', baseURL: server.baseURL });
  const rt = wrap(
    new module.exports.OpenAIRealtimeWS({ model, options: { ca: server.certificate } }, client),
  );
  const types: string[] = [];
  rt.on('event', (event: { type: string }) => types.push(event.type));
  // The app handles errors, as the client asks it to: `error` events are part of the scenarios.
  rt.on('error', () => {});
  const closed = new Promise<void>((resolve) => rt.socket.once('close', () => resolve()));
  const connection: AppConnection = {
    rt,
    types,
    closed,
    waitFor: (type, count = 1) =>
      until(() => types.filter((seen) => seen === type).length >= count, `${count} × ${type}`),
    speak(ms) {
      for (let sent = 0; sent < ms; sent += 20)
        rt.send({ type: 'input_audio_buffer.append', audio: pcmAudio(20) });
    },
    async close() {
      rt.close();
      await closed;
    },
  };
  open.push(connection);
  await until(() => rt.socket.readyState === 1, 'the socket to open');
  return connection;
}

/** What the Realtime tests of one module share: a TLS server for the block, fresh metrics per test. */
export interface RealtimeTestbed {
  readonly server: StartedServer;
  readonly metrics: TestMetrics;
  /** The instrumentation's patches of `patchedModule`, applied to the loaded module before each test. */
  patches(): readonly ModulePatch[];
}

/**
 * Sets the testbed up inside the calling `describe` block. With `patchedModule`, an `OpenAIInstrumentation`
 * patches the loaded module directly before each test, as require-in-the-middle would hand it over (the
 * register's tests cover the hook), and unpatches it after.
 */
export function useRealtimeTestbed(
  realtime: RealtimeModule,
  patchedModule: string | undefined,
): RealtimeTestbed {
  // Its hooks come first, so each test's metrics exist before the patching below and outlive the unpatching.
  const shared = useServerTestbed(() => startOpenAICompatibleServer({ tls: true }));
  let instrumentation: OpenAIInstrumentation | undefined;
  const patches = () =>
    instrumentation?.getModulePatches().filter((patch) => patch.module === patchedModule) ?? [];

  beforeEach(() => {
    if (patchedModule === undefined) return;
    instrumentation = new OpenAIInstrumentation({ meterProvider: shared.metrics.meterProvider });
    for (const patch of patches()) patch.patch(realtime.exports, realtime.version);
  });
  afterEach(() => {
    closeAll();
    for (const patch of patches()) patch.unpatch(realtime.exports);
    instrumentation = undefined;
  });

  return {
    get server() {
      return shared.server;
    },
    get metrics() {
      return shared.metrics;
    },
    patches,
  };
}
