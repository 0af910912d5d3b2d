import { EventEmitter, once } from 'node:events';
import { connect } from 'node:net';
import { freePort } from '@va/test-metrics/free-port';
import { describe, expect, it } from 'vitest';
import { errorTypeOf } from '../../src/http-client/error-type.js';

class QuotaExceeded extends Error {}

describe('error.type of a request that failed before its response headers', () => {
  it('a socket error: its code, not its class (Error for all of them)', async () => {
    const socket = connect(await freePort(), '127.0.0.1');
    const [error] = await once(socket, 'error');
    expect([(error as Error).constructor.name, errorTypeOf(error)]).toEqual(['Error', 'ECONNREFUSED']);
  });

  it('cancelled: AbortError for Node’s AbortError (code ABORT_ERR) and for the DOMException alike', async () => {
    const nodeAbort = await once(new EventEmitter(), 'never', { signal: AbortSignal.abort() }).catch(
      (error: unknown) => error,
    );
    expect([(nodeAbort as NodeJS.ErrnoException).code, errorTypeOf(nodeAbort)]).toEqual([
      'ABORT_ERR',
      'AbortError',
    ]);
    expect(errorTypeOf(AbortSignal.abort().reason)).toBe('AbortError');
  });

  it('a DOMException: its name (TimeoutError), its numeric code never', () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect([timeout.code, errorTypeOf(timeout)]).toEqual([23, 'TimeoutError']);
  });

  it('codes that are identifiers are kept; free text falls back to the class name', () => {
    expect(
      [
        Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
        Object.assign(new Error('x'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
        Object.assign(new Error('x'), { code: 'connection reset by the proxy' }),
        Object.assign(new QuotaExceeded('x'), { code: 42 }),
      ].map(errorTypeOf),
    ).toEqual(['UND_ERR_SOCKET', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'Error', 'QuotaExceeded']);
  });

  it('what names nothing: _OTHER', () => {
    expect(['boom', null, undefined, 42, {}, Object.create(null)].map(errorTypeOf)).toEqual([
      '_OTHER',
      '_OTHER',
      '_OTHER',
      '_OTHER',
      '_OTHER',
      '_OTHER',
    ]);
  });
});
