import { loginBackoff } from '../../src/abuse/login-throttle';

const defaults = { backoffAfterFailures: 5, lockAfterFailures: 10, lockSeconds: 900 };

describe('login back-off', () => {
  it('costs nothing before the fifth consecutive failure', () => {
    for (const failures of [1, 2, 3, 4]) expect(loginBackoff(failures, defaults)).toEqual({ blockSeconds: 0, isLock: false });
  });

  it('waits 1, 2, 4, 8 and 16 seconds after the fifth to ninth failures', () => {
    expect([5, 6, 7, 8, 9].map((failures) => loginBackoff(failures, defaults).blockSeconds)).toEqual([1, 2, 4, 8, 16]);
    expect(loginBackoff(9, defaults).isLock).toBe(false);
  });

  it('locks for the lock duration from the tenth failure on', () => {
    expect(loginBackoff(10, defaults)).toEqual({ blockSeconds: 900, isLock: true });
    expect(loginBackoff(11, defaults)).toEqual({ blockSeconds: 900, isLock: true });
  });

  it('never backs off for longer than the lock', () => {
    const options = { backoffAfterFailures: 1, lockAfterFailures: 30, lockSeconds: 60 };
    expect(loginBackoff(20, options)).toEqual({ blockSeconds: 60, isLock: false });
  });

  it('locks first when the lock comes before the back-off would', () => {
    expect(loginBackoff(3, { backoffAfterFailures: 5, lockAfterFailures: 3, lockSeconds: 60 })).toEqual({ blockSeconds: 60, isLock: true });
  });
});
