// Tracers wrap http.Server.prototype.emit (upstream instrumentation-http, dd-trace) and would make
// every scrape a SERVER span in the application's traces. Our server emits through EventEmitter's
// own emit, which is what http.Server.prototype.emit is before anyone wraps it.
import { execFileSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createServer, Server } from 'node:http';
import { createRequire } from 'node:module';
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
      return Reflect.apply(original, this, [event, ...args]) as boolean;
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

describe('listening on every interface (the default host)', () => {
  it('looks nothing up in DNS, so a tracer of dns.lookup records nothing of ours', async () => {
    const dns = createRequire(import.meta.url)('node:dns') as { lookup: (...args: unknown[]) => unknown };
    const lookup = dns.lookup;
    const looked: unknown[] = [];
    dns.lookup = (...args: unknown[]) => {
      looked.push(args[0]);
      return Reflect.apply(lookup, dns, args);
    };
    const s = setup({ host: '0.0.0.0', port: 0, preventServerStart: false });
    try {
      await s.bridge.startServer();
      expect(s.bridge.port).toBeGreaterThan(0);
      expect((await request(s.bridge.port!, '/metrics')).status).toBe(200);
      expect(looked).toEqual([]);
    } finally {
      dns.lookup = lookup;
      await s.provider.shutdown();
    }
  });
});
