import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { asMeasuredAsyncCall, asMeasuredCall, insideMeasuredCall } from '../src/call-nesting.js';

describe('call nesting', () => {
  it('covers the synchronous part of a measured call only', async () => {
    let afterAwait: boolean | undefined;
    const during = asMeasuredCall(() => {
      const inside = insideMeasuredCall();
      void Promise.resolve().then(() => {
        afterAwait = insideMeasuredCall();
      });
      return inside;
    });
    await sleep(1);
    expect(during).toBe(true);
    expect(afterAwait).toBe(false);
    expect(insideMeasuredCall()).toBe(false);
  });

  it('covers everything an asynchronous measured call starts, and nothing after it', async () => {
    const seen: boolean[] = [];
    const result = await asMeasuredAsyncCall(async () => {
      seen.push(insideMeasuredCall());
      await sleep(1);
      seen.push(insideMeasuredCall());
      setTimeout(() => seen.push(insideMeasuredCall()), 0);
      return 'answer';
    });
    await sleep(5);
    expect(result).toBe('answer');
    expect(seen).toEqual([true, true, true]);
    expect(insideMeasuredCall()).toBe(false);
  });

  it('is one state for every copy of the package, through the global object', () => {
    const slot = (globalThis as Record<symbol, unknown>)[
      Symbol.for('@va/instrumentation-genai.measured-call-context')
    ] as { run: <T>(store: true, body: () => T) => T };
    expect(slot.run(true, () => insideMeasuredCall())).toBe(true);
  });
});
