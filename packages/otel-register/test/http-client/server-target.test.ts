import { describe, expect, it } from 'vitest';
import { targetOfAuthority, targetOfUrl } from '../../src/http-client/server-target.js';

describe('server.address, server.port and url.scheme of an outgoing request', () => {
  it('an authority (a Host header): host, port, the scheme’s port when none is given', () => {
    expect(
      [
        ['http', 'example.test'],
        ['https', 'example.test'],
        ['http', 'Example.TEST:8080'],
        ['http', '127.0.0.1:3000'],
        ['http', '[::1]:3000'],
        ['https', '[2001:DB8::1]'],
        ['http', '::1'],
        ['http', 'user:secret@example.test:81'],
        ['http', 'example.test:99999'],
        ['http', 'example.test:http'],
      ].map(([scheme, authority]) => targetOfAuthority(scheme as 'http' | 'https', authority as string)),
    ).toEqual([
      { scheme: 'http', address: 'example.test', port: 80 },
      { scheme: 'https', address: 'example.test', port: 443 },
      { scheme: 'http', address: 'example.test', port: 8080 },
      { scheme: 'http', address: '127.0.0.1', port: 3000 },
      { scheme: 'http', address: '::1', port: 3000 },
      { scheme: 'https', address: '2001:db8::1', port: 443 },
      { scheme: 'http', address: '::1', port: 80 },
      { scheme: 'http', address: 'example.test', port: 81 },
      { scheme: 'http', address: 'example.test', port: undefined },
      { scheme: 'http', address: 'example.test', port: undefined },
    ]);
  });

  it('a URL (an absolute-form target, an undici origin): its scheme and authority; anything but http(s) is none', () => {
    expect(
      [
        'http://127.0.0.1:34879',
        'https://api.example.test/v1/chat?x=1',
        'HTTPS://user:pw@api.example.test:8443#part',
        'http://example.test?query',
        'http://[::1]:8080/',
        'ftp://example.test/',
        '*',
        'example.test/path',
      ].map(targetOfUrl),
    ).toEqual([
      { scheme: 'http', address: '127.0.0.1', port: 34879 },
      { scheme: 'https', address: 'api.example.test', port: 443 },
      { scheme: 'https', address: 'api.example.test', port: 8443 },
      { scheme: 'http', address: 'example.test', port: 80 },
      { scheme: 'http', address: '::1', port: 8080 },
      undefined,
      undefined,
      undefined,
    ]);
  });
});
