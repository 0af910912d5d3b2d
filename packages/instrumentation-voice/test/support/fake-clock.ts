/** A clock the test moves by hand, in milliseconds, for the tracker's `clock` option. */
export class FakeClock {
  now = 0;
  readonly read = (): number => this.now;

  advance(ms: number): void {
    this.now += ms;
  }
}
