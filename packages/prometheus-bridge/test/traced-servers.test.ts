// Tracers wrap http.Server.prototype.emit (upstream instrumentation-http, dd-trace) and would make
// every scrape a SERVER span in the application's traces. Our server emits through EventEmitter's
// own emit, which is what http.Server.prototype.emit is before anyone wraps it.
import { execFileSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createServer, Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { close, request, setup } from './helpers.js';

const original = Server.prototype.emit;
afterEach(() => {
  Server.prototype.emit = original;
});

describe("a tracer's wrapper of http.Server.prototype.emit", () => {
  it('sees the application server requests and none of our scrapes', async () => {
    const seen: string[] = [];
    Server.prototype.emit = function (this: Server, event: string, ...args: unknown[]) {
      if (event === 'request') seen.push((args[0] as { url?: string }).url ?? '');
      return original.call(this, event, ...args);
    } as typeof original;

    const s = setup({ host: '127.0.0.1', port: 0, preventServerStart: false });
    await s.bridge.startServer();
    const app = createServer((_request, response) => response.end('app'));
    await new Promise<void>((done) => app.listen(0, '127.0.0.1', done));
    try {
      const port = s.bridge.port!;
      expect((await request(port, '/metrics')).status).toBe(200);
      expect((await request(port, '/health')).status).toBe(200);
      const appPort = (app.address() as { port: number }).port;
      expect((await request(appPort, '/work')).status).toBe(200);
      expect(seen).toEqual(['/work']);
    } finally {
      await close(app);
      await s.provider.shutdown();
    }
  });

  it('is, unwrapped, EventEmitter.prototype.emit on this Node (what our server uses in its place)', () => {
    const answer = execFileSync(
      process.execPath,
      [
        '-e',
        "const { Server } = require('node:http'); process.stdout.write(String(Server.prototype.emit === require('node:events').prototype.emit && !Object.hasOwn(Server.prototype, 'emit')))",
      ],
      { encoding: 'utf8' },
    );
    expect(answer).toBe('true');
    expect(EventEmitter.prototype.emit).toBe(original);
  });
});
