import { InstrumentationBase, isWrapped } from '@opentelemetry/instrumentation';
import { describe, expect, it } from 'vitest';
import { isWrappedByVa, unwrapMethod, wrapMethod } from '../src/method-wrapper.js';

class Client {
  query(text: string): string {
    return `result of ${text}`;
  }
}

/** Upstream's way of wrapping (shimmer, through InstrumentationBase), as upstream pg does it. */
class UpstreamLike extends InstrumentationBase {
  constructor() {
    super('upstream-like', '1.0.0', { enabled: false });
  }
  protected init() {
    return [];
  }
  wrapQuery(prototype: Client, calls: string[]): void {
    // What instrumentation-pg does before it wraps: anything marked as wrapped is unwrapped first.
    if (isWrapped(prototype.query)) this._unwrap(prototype, 'query');
    this._wrap(
      prototype,
      'query',
      (original) =>
        function (this: Client, text: string) {
          calls.push(`upstream ${text}`);
          return original.call(this, text);
        },
    );
  }
  unwrapQuery(prototype: Client): void {
    this._unwrap(prototype, 'query');
  }
}

function freshClass(): typeof Client {
  return class extends Client {
    override query(text: string): string {
      return super.query(text);
    }
  };
}

function wrapOurs(prototype: Client, calls: string[]): boolean {
  return wrapMethod(
    prototype,
    'query',
    (original) =>
      function (this: unknown, ...args: unknown[]) {
        calls.push(`va ${String(args[0])}`);
        return Reflect.apply(original, this, args);
      },
  );
}

describe('wrapMethod', () => {
  it('passes this, arguments and the result through, keeps name and length', () => {
    const Fresh = freshClass();
    const calls: string[] = [];
    expect(wrapOurs(Fresh.prototype, calls)).toBe(true);
    expect(new Fresh().query('SELECT 1')).toBe('result of SELECT 1');
    expect(calls).toEqual(['va SELECT 1']);
    expect(Fresh.prototype.query.name).toBe('query');
    expect(Fresh.prototype.query.length).toBe(1);
    expect(Object.keys(Fresh.prototype)).toEqual([]);
  });

  it('wraps once when the same patch runs twice', () => {
    const Fresh = freshClass();
    const calls: string[] = [];
    wrapOurs(Fresh.prototype, calls);
    const first = Fresh.prototype.query;
    wrapOurs(Fresh.prototype, calls);
    expect(Fresh.prototype.query).toBe(first);
    new Fresh().query('x');
    expect(calls).toEqual(['va x']);
  });

  it('carries no shimmer mark, so upstream wraps over ours instead of unwrapping it', () => {
    const Fresh = freshClass();
    const calls: string[] = [];
    wrapOurs(Fresh.prototype, calls);
    expect(isWrapped(Fresh.prototype.query)).toBe(false);
    new UpstreamLike().wrapQuery(Fresh.prototype, calls);
    new Fresh().query('both');
    expect(calls).toEqual(['upstream both', 'va both']);
  });

  it('wraps over upstream without unwrapping it', () => {
    const Fresh = freshClass();
    const calls: string[] = [];
    new UpstreamLike().wrapQuery(Fresh.prototype, calls);
    wrapOurs(Fresh.prototype, calls);
    new Fresh().query('both');
    expect(calls).toEqual(['va both', 'upstream both']);
  });

  it('between two patches of the same upstream instrumentation, leaves one upstream wrapper (pg: lib/client.js, then pg)', () => {
    const Fresh = freshClass();
    const calls: string[] = [];
    const upstream = new UpstreamLike();
    upstream.wrapQuery(Fresh.prototype, calls);
    wrapOurs(Fresh.prototype, calls);
    // Upstream's second patch unwraps what it takes for its first wrapper, then wraps again.
    expect(isWrapped(Fresh.prototype.query)).toBe(true);
    upstream.wrapQuery(Fresh.prototype, calls);
    expect(new Fresh().query('once')).toBe('result of once');
    expect(calls).toEqual(['upstream once', 'va once']);
    // Ours, unwrapped now, puts back what is beneath it: the method itself.
    upstream.unwrapQuery(Fresh.prototype);
    unwrapMethod(Fresh.prototype, 'query');
    expect(Object.hasOwn(Fresh.prototype, 'query')).toBe(true);
    calls.length = 0;
    expect(new Fresh().query('plain')).toBe('result of plain');
    expect(calls).toEqual([]);
    expect(isWrapped(Fresh.prototype.query)).toBe(false);
  });

  it('restores the property as it was when ours is on top', () => {
    const Fresh = freshClass();
    const own = Fresh.prototype.query;
    wrapOurs(Fresh.prototype, []);
    unwrapMethod(Fresh.prototype, 'query');
    expect(Fresh.prototype.query).toBe(own);
    expect(isWrappedByVa(Fresh.prototype.query)).toBe(false);
  });

  it('deletes its own property where the method was inherited', () => {
    const Fresh = freshClass();
    const child = Object.create(Fresh.prototype) as Client;
    wrapOurs(child, []);
    expect(Object.hasOwn(child, 'query')).toBe(true);
    unwrapMethod(child, 'query');
    expect(Object.hasOwn(child, 'query')).toBe(false);
    expect(child.query('x')).toBe('result of x');
  });

  it('switches itself off in place when upstream wrapped over it, keeping upstream working', () => {
    const Fresh = freshClass();
    const calls: string[] = [];
    wrapOurs(Fresh.prototype, calls);
    const upstream = new UpstreamLike();
    upstream.wrapQuery(Fresh.prototype, calls);
    const upstreamWrapper = Fresh.prototype.query;
    unwrapMethod(Fresh.prototype, 'query');
    expect(Fresh.prototype.query).toBe(upstreamWrapper);
    expect(new Fresh().query('after')).toBe('result of after');
    expect(calls).toEqual(['upstream after']);
    // Upstream unwrapping later puts our switched-off wrapper back on top: it only passes through.
    upstream.unwrapQuery(Fresh.prototype);
    calls.length = 0;
    new Fresh().query('later');
    expect(calls).toEqual([]);
  });

  it('switches back on when the patch runs again over a switched-off wrapper of ours', () => {
    const Fresh = freshClass();
    const calls: string[] = [];
    wrapOurs(Fresh.prototype, calls);
    const upstream = new UpstreamLike();
    upstream.wrapQuery(Fresh.prototype, []);
    unwrapMethod(Fresh.prototype, 'query');
    upstream.unwrapQuery(Fresh.prototype);
    wrapOurs(Fresh.prototype, calls);
    new Fresh().query('again');
    expect(calls).toEqual(['va again']);
  });

  it('leaves a non-function alone', () => {
    const target = { query: 42 };
    expect(wrapMethod(target, 'query', (original) => original)).toBe(false);
    expect(target.query).toBe(42);
  });
});
