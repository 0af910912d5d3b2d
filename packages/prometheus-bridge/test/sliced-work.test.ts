import { describe, expect, it } from 'vitest';
import { DEFAULT_SLICE_MILLIS, runSliced, SliceBudget, sliceMillisOption } from '../src/sliced-work.js';

/** A clock the test moves by hand: the budget's decisions then depend on nothing but the test. */
function fakeClock() {
  const clock = { now: 0 };
  return { clock, read: () => clock.now };
}

/** A wait that ends within the current turn of the event loop, the way node reports a write a fast client took at once. */
function sameTurnWait(clock: { now: number }, millis: number): Promise<void> {
  return new Promise((resolve) =>
    process.nextTick(() => {
      clock.now += millis;
      resolve();
    }),
  );
}

/**
 * A wait that ends in a later turn, after a check phase: the second immediate runs in the check phase after
 * the one where the first ran, whichever phase the wait began in.
 */
function laterTurnWait(clock: { now: number }, millis: number): Promise<void> {
  return new Promise((resolve) =>
    setImmediate(() =>
      setImmediate(() => {
        clock.now += millis;
        resolve();
      }),
    ),
  );
}

describe('SliceBudget', () => {
  it('counts waits that end within the same turn towards the slice, as the block they are', async () => {
    const { clock, read } = fakeClock();
    const budget = new SliceBudget(5, read);
    clock.now += 1; // our work
    await budget.wait(sameTurnWait(clock, 2)); // the kernel copying a buffer
    expect(budget.next()).toBeUndefined(); // 3 ms since the loop turned
    clock.now += 1;
    await budget.wait(sameTurnWait(clock, 2));
    // 6 ms without a turn, only 2 of them our own work: the slice is spent.
    const turn = budget.next();
    expect(turn).toBeInstanceOf(Promise);
    await turn;
    expect(budget.next()).toBeUndefined();
  });

  it('starts a fresh slice after a wait across a turn of the event loop', async () => {
    const { clock, read } = fakeClock();
    const budget = new SliceBudget(5, read);
    clock.now += 4;
    await budget.wait(laterTurnWait(clock, 100));
    clock.now += 4; // 4 ms since the wait ended
    expect(budget.next()).toBeUndefined();
    clock.now += 1;
    expect(budget.next()).toBeInstanceOf(Promise);
  });

  it('yields a full turn once the budget is spent, then counts from where the turn ended', async () => {
    const { clock, read } = fakeClock();
    const budget = new SliceBudget(5, read);
    clock.now += 4.9;
    expect(budget.next()).toBeUndefined();
    clock.now += 0.1;
    let immediateRan = false;
    setImmediate(() => {
      immediateRan = true;
    });
    const turn = budget.next();
    clock.now += 3; // time that passes while the loop goes round is not the next slice's
    await turn;
    expect(immediateRan).toBe(true);
    clock.now += 4.9;
    expect(budget.next()).toBeUndefined();
    clock.now += 0.1;
    expect(budget.next()).toBeInstanceOf(Promise);
  });

  it('yields after every step with a budget of 0', async () => {
    const { read } = fakeClock();
    const budget = new SliceBudget(0, read);
    for (let step = 0; step < 3; step++) {
      const turn = budget.next();
      expect(turn).toBeInstanceOf(Promise);
      await turn;
    }
  });

  it('passes on a failed wait, and still clears its watch', async () => {
    const { read } = fakeClock();
    const budget = new SliceBudget(5, read);
    await expect(budget.wait(Promise.reject(new Error('the client closed the connection')))).rejects.toThrow(
      'the client closed the connection',
    );
    expect(budget.next()).toBeUndefined();
  });
});

describe('runSliced', () => {
  function* steps(count: number, log: string[]): Generator<void, number, undefined> {
    for (let step = 0; step < count; step++) {
      log.push(`step ${step}`);
      yield;
    }
    return count;
  }

  it('returns what the steps return, letting the event loop go round between slices', async () => {
    const log: string[] = [];
    setImmediate(() => log.push('immediate'));
    // A slice of 0 ms ends after every step.
    await expect(runSliced(steps(3, log), 0)).resolves.toBe(3);
    expect(log).toEqual(['step 0', 'immediate', 'step 1', 'step 2']);
  });

  it('runs to the end in one slice while the budget lasts', async () => {
    const log: string[] = [];
    setImmediate(() => log.push('immediate'));
    await expect(runSliced(steps(3, log), 60_000)).resolves.toBe(3);
    expect(log).toEqual(['step 0', 'step 1', 'step 2']);
  });
});

describe('sliceMillisOption', () => {
  it('takes a number of 0 or more, else the default slice', () => {
    expect(sliceMillisOption(0)).toBe(0);
    expect(sliceMillisOption(12)).toBe(12);
    for (const invalid of [undefined, -1, Number.NaN])
      expect(sliceMillisOption(invalid)).toBe(DEFAULT_SLICE_MILLIS);
  });
});
