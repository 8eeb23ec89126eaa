import type { Clock } from '../../src/clock';

/** A clock tests move by hand. Starts at the real time so JWT libraries and the database agree on "now". */
export class TestClock implements Clock {
  private offsetMilliseconds = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMilliseconds);
  }

  advance(seconds: number): void {
    this.offsetMilliseconds += seconds * 1000;
  }
}
